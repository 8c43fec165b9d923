import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, ready, signEd25519, toHex } from '@starling/crypto';
import { announcementSigningBytes, common, heartbeatSigningBytes, type registry } from '@starling/proto';
import { AnnouncementRejected, checkAnnouncement, checkHeartbeat } from './announcement-check';

const NOW = 1_800_000_000_000;
const WINDOW = 60_000;
let seed: Uint8Array;
let node: common.NodeInfo;

beforeAll(async () => {
  await ready();
  seed = new Uint8Array(32).fill(7);
  const pk = ed25519KeyPairFromSeed(seed).publicKey;
  node = {
    role: common.NodeRole.NODE_ROLE_STORE,
    pubkeyEd25519: toHex(pk),
    pubkeyX25519: toHex(ed25519PublicKeyToX25519(pk)),
    grpcAddress: 'store-0.store.starling.svc:22020',
    publicIp: '',
    publicPort: 0,
    swarmId: '0',
    version: '0.1.0',
  };
});

function signed(info: common.NodeInfo, ts = NOW): registry.AnnounceRequest {
  return { node: info, timestampMs: String(ts), signature: Buffer.from(signEd25519(seed, announcementSigningBytes(info, ts))) };
}

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AnnouncementRejected) return err.kind;
    throw err;
  }
  return 'accepted';
}

describe('checkAnnouncement', () => {
  it('accepts a correctly signed store node without a public address', () => {
    expect(checkAnnouncement(signed(node), NOW, WINDOW)).toMatchObject({ pubkeyEd25519: node.pubkeyEd25519, signedMs: NOW });
  });

  it('accepts a relay whose X25519 key is its own (not derived)', () => {
    const relay = { ...node, role: common.NodeRole.NODE_ROLE_RELAY, pubkeyX25519: 'ab'.repeat(32), publicIp: '10.0.0.1', publicPort: 443 };
    expect(rejection(() => checkAnnouncement(signed(relay), NOW, WINDOW))).toBe('accepted');
  });

  it.each([
    ['an X25519 key that is not the conversion', { pubkeyX25519: 'ab'.repeat(32) }],
    ['an upper-case key', { pubkeyEd25519: 'AB'.repeat(32) }],
    ['a missing role', { role: common.NodeRole.NODE_ROLE_UNSPECIFIED }],
    ['a gRPC address without port', { grpcAddress: 'store-0' }],
    ['a gRPC port out of range', { grpcAddress: 'store-0:70000' }],
    ['a URL as gRPC address', { grpcAddress: 'http://x:1' }],
    ['a public port without address', { publicPort: 443 }],
    ['a public address without port', { publicIp: '10.0.0.1' }],
    ['a version with spaces', { version: '1 0' }],
  ])('refuses %s as invalid', (_what, change) => {
    expect(rejection(() => checkAnnouncement(signed({ ...node, ...change }), NOW, WINDOW))).toBe('invalid');
  });

  it('refuses timestamps outside the window either way, and accepts its edge', () => {
    expect(rejection(() => checkAnnouncement(signed(node, NOW - WINDOW - 1), NOW, WINDOW))).toBe('clock');
    expect(rejection(() => checkAnnouncement(signed(node, NOW + WINDOW + 1), NOW, WINDOW))).toBe('clock');
    expect(rejection(() => checkAnnouncement(signed(node, NOW + WINDOW), NOW, WINDOW))).toBe('accepted');
  });

  it('refuses a missing, short, foreign or stale-field signature', () => {
    const good = signed(node);
    expect(rejection(() => checkAnnouncement({ ...good, signature: Buffer.alloc(0) }, NOW, WINDOW))).toBe('unauthenticated');
    expect(rejection(() => checkAnnouncement({ ...good, signature: good.signature.subarray(0, 63) }, NOW, WINDOW))).toBe('unauthenticated');
    expect(rejection(() => checkAnnouncement({ ...good, timestampMs: String(NOW + 1) }, NOW, WINDOW))).toBe('unauthenticated');
    expect(rejection(() => checkAnnouncement({ ...good, node: { ...node, version: '0.1.1' } }, NOW, WINDOW))).toBe('unauthenticated');
  });
});

describe('checkHeartbeat', () => {
  const beat = (ts: number) => ({ pubkeyEd25519: node.pubkeyEd25519, timestampMs: String(ts), signature: Buffer.from(signEd25519(seed, heartbeatSigningBytes(node.pubkeyEd25519, ts))) });

  it('accepts a signed heartbeat and refuses an announcement signature in its place', () => {
    expect(checkHeartbeat(beat(NOW), NOW, WINDOW)).toEqual({ pubkeyEd25519: node.pubkeyEd25519, signedMs: NOW });
    expect(rejection(() => checkHeartbeat({ ...beat(NOW), signature: signed(node).signature }, NOW, WINDOW))).toBe('unauthenticated');
    expect(rejection(() => checkHeartbeat(beat(NOW - 2 * WINDOW), NOW, WINDOW))).toBe('clock');
    expect(rejection(() => checkHeartbeat({ ...beat(NOW), pubkeyEd25519: 'zz' }, NOW, WINDOW))).toBe('invalid');
  });
});
