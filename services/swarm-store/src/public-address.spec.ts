import { ConfigError } from '@starling/platform';
import { loadSwarmStoreConfig } from './config';
import { parsePublicAddress, publicAddressOf } from './public-address';

describe('a storage node of a StatefulSet publishes its own entry of the address list', () => {
  it('reads host, host:port and bracketed IPv6, and refuses anything else', () => {
    expect(parsePublicAddress('203.0.113.10')).toEqual({ host: '203.0.113.10' });
    expect(parsePublicAddress('store-1.example.org:30021')).toEqual({ host: 'store-1.example.org', port: 30021 });
    expect(parsePublicAddress('[2001:db8::1]:443')).toEqual({ host: '2001:db8::1', port: 443 });
    expect(parsePublicAddress('[2001:db8::1]')).toEqual({ host: '2001:db8::1' });
    for (const bad of ['', '2001:db8::1', 'a b', 'host:0', 'host:70000', 'host:', 'https://host']) expect(parsePublicAddress(bad)).toBeUndefined();
  });

  it('takes the entry of the node index', () => {
    expect(publicAddressOf('203.0.113.10, 203.0.113.11:30022', 1)).toEqual({ host: '203.0.113.11', port: 30022 });
  });

  it('stops with a message that says what to set', () => {
    const problems = (list: string, index?: number) => {
      try {
        publicAddressOf(list, index);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems;
      }
      throw new Error('accepted');
    };
    expect(problems('203.0.113.10')).toEqual(['SWARM_STORE_PUBLIC_ADDRESSES needs SWARM_STORE_NODE_INDEX: which entry is this node (its StatefulSet ordinal)']);
    expect(problems('203.0.113.10,203.0.113.11', 2)).toEqual(['SWARM_STORE_NODE_INDEX is 2, but SWARM_STORE_PUBLIC_ADDRESSES has 2 entries: give one per node']);
    expect(problems('203.0.113.10,,x:99999', 0)).toEqual(['SWARM_STORE_PUBLIC_ADDRESSES: "", "x:99999" are not host, host:port or [v6]:port']);
  });

  it('becomes the public host and port of the loaded configuration, and excludes PUBLIC_HOST', () => {
    const config = loadSwarmStoreConfig({ SWARM_STORE_PUBLIC_ADDRESSES: '203.0.113.10,203.0.113.11:30022', SWARM_STORE_NODE_INDEX: '1' });
    expect({ host: config.publicHost, port: config.publicPort }).toEqual({ host: '203.0.113.11', port: 30022 });
    expect(loadSwarmStoreConfig({ SWARM_STORE_PUBLIC_ADDRESSES: '203.0.113.10', SWARM_STORE_NODE_INDEX: '0' }).publicPort).toBeUndefined();
    expect(() => loadSwarmStoreConfig({ SWARM_STORE_PUBLIC_ADDRESSES: '203.0.113.10', SWARM_STORE_NODE_INDEX: '0', SWARM_STORE_PUBLIC_HOST: 'x' })).toThrow(/not both/);
    expect(loadSwarmStoreConfig({ SWARM_STORE_PUBLIC_HOST: 'node.example.org' }).publicHost).toBe('node.example.org');
  });
});
