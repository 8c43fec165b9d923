import { announcementSigningBytes, heartbeatSigningBytes } from './announcement';
import { networkMapHash, networkMapSigningBytes } from './network-map';
import { pushMessagesSigningBytes } from './swarmstore-signing';
import { NodeRole, type NodeInfo } from './gen/starling/common/v1/common';

const node: NodeInfo = {
  role: NodeRole.NODE_ROLE_STORE,
  pubkeyEd25519: 'aa'.repeat(32),
  pubkeyX25519: 'bb'.repeat(32),
  grpcAddress: '127.0.0.1:5000',
  publicIp: '127.0.0.1',
  publicPort: 8080,
  swarmId: '0',
  version: '2.8.0',
};

describe('signed payload bytes', () => {
  it('starts with the length-prefixed domain and ends with the timestamp', () => {
    const bytes = Buffer.from(announcementSigningBytes(node, 1700000000000));
    expect(bytes.readUInt32BE(0)).toBe('starling.registry.v1.Announce'.length);
    expect(bytes.subarray(4, 4 + 29).toString()).toBe('starling.registry.v1.Announce');
    expect(bytes.subarray(bytes.length - 13).toString()).toBe('1700000000000');
  });

  it('does not cover swarm_id (assigned by the registry) but covers every stated field', () => {
    const base = Buffer.from(announcementSigningBytes(node, '1'));
    expect(Buffer.from(announcementSigningBytes({ ...node, swarmId: '99' }, '1')).equals(base)).toBe(true);
    for (const change of [{ role: NodeRole.NODE_ROLE_RELAY }, { grpcAddress: '127.0.0.1:5001' }, { publicIp: '' }, { publicPort: 1 }, { version: 'x' }]) {
      expect(Buffer.from(announcementSigningBytes({ ...node, ...change }, '1')).equals(base)).toBe(false);
    }
  });

  it('keeps field boundaries: moving a character between fields changes the bytes', () => {
    const a = Buffer.from(announcementSigningBytes({ ...node, publicIp: '1.2.3.4', version: '5' }, '1'));
    const b = Buffer.from(announcementSigningBytes({ ...node, publicIp: '1.2.3.', version: '45' }, '1'));
    expect(a.equals(b)).toBe(false);
  });

  it('separates heartbeat from announcement by domain', () => {
    const hb = Buffer.from(heartbeatSigningBytes(node.pubkeyEd25519, '5'));
    expect(hb.subarray(4, 4 + 30).toString()).toBe('starling.registry.v1.Heartbeat');
  });

  it('covers pushed revocations, and signs a push without any as before they existed', () => {
    const hashes = ['h'.repeat(43)];
    const plain = Buffer.from(pushMessagesSigningBytes('AA'.repeat(32), 5, hashes));
    expect(Buffer.from(pushMessagesSigningBytes('aa'.repeat(32), '5', hashes, [])).equals(plain)).toBe(true);
    const revocation = { pubkey: Buffer.alloc(33, 3), token: Buffer.alloc(36, 1), revokedMs: 7 };
    const withOne = Buffer.from(pushMessagesSigningBytes('aa'.repeat(32), 5, hashes, [revocation]));
    expect(withOne.subarray(plain.length + 4).toString()).toBe(`revocation:${'03'.repeat(33)}:${'01'.repeat(36)}:7`);
    for (const change of [{ token: Buffer.alloc(36, 2) }, { pubkey: Buffer.alloc(33, 5) }, { revokedMs: 8 }]) {
      expect(Buffer.from(pushMessagesSigningBytes('aa'.repeat(32), 5, hashes, [{ ...revocation, ...change }])).equals(withOne)).toBe(false);
    }
  });

  it('hashes maps by their nodes only', () => {
    const map = { version: '3', createdMs: '10', registryPubkey: 'cc'.repeat(32), nodes: [node] };
    const later = { ...map, version: '4', createdMs: '11' };
    expect(networkMapHash(map)).toBe(networkMapHash(later));
    expect(networkMapHash(map)).not.toBe(networkMapHash({ nodes: [{ ...node, swarmId: '7' }] }));
    expect(Buffer.from(networkMapSigningBytes(map)).equals(Buffer.from(networkMapSigningBytes({ ...map, version: '4' })))).toBe(false);
  });
});
