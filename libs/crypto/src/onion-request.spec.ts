// A whole onion path in one process: the client builds a request, test relays peel it hop by hop
// with the hop-side functions, a destination answers, and the client decrypts the answer.
import { toHex, utf8 } from './encoding';
import { CryptoError } from './errors';
import { decodeOnionFrame } from './onion-framing';
import { decryptOnionRequest, HopInstruction, isAllowedProxyTarget, parseOnionEnvelope, peelOnionLayer } from './onion-hop';
import { encryptLayer, generateOnionKeyPair, OnionEncType } from './onion-layer';
import { buildOnionRequest, OnionDestination, OnionNodeKeys } from './onion-request';
import { decryptOnionResponse, encodeSnodeOnionReply, parseSnodeOnionReply } from './onion-response';
import { decodeV4Request, decodeV4Response, encodeV4Request, encodeV4Response } from './onion-v4';
import { ready, sodium } from './sodium';
import { X25519KeyPair } from './identity';
import { errorCodeOf } from '../test/expect-crypto-error';

interface Node {
  x25519: X25519KeyPair;
  ed25519: Uint8Array;
  keys: OnionNodeKeys;
}

function makeNode(): Node {
  const x25519 = generateOnionKeyPair();
  const ed25519 = sodium().crypto_sign_keypair().publicKey;
  return { x25519, ed25519, keys: { x25519: x25519.publicKey, ed25519 } };
}


/** What each hop did, so tests can check that a hop learns only its neighbour. */
interface Trace {
  instructions: HopInstruction[];
}

/**
 * Relays the POSTed body along the path: the guard reads the envelope, every node peels its layer
 * and acts on the instruction. Storage nodes answer JSON; the HTTP server answers v4.
 */
function network(nodes: Node[], server: { x25519: X25519KeyPair; host: string }) {
  const byEd = new Map(nodes.map((n) => [toHex(n.ed25519), n]));
  const trace: Trace = { instructions: [] };

  function atNode(node: Node, layer: ReturnType<typeof parseOnionEnvelope>['layer']): Uint8Array {
    const { instruction, replyKey } = peelOnionLayer(node.x25519, layer);
    trace.instructions.push(instruction);
    switch (instruction.kind) {
      case 'forward': {
        const next = byEd.get(toHex(instruction.destination));
        if (!next) throw new Error('Next node not found');
        return atNode(next, instruction.layer);
      }
      case 'deliver': {
        const request = JSON.parse(Buffer.from(instruction.request).toString('utf8'));
        const reply = { status: 200, body: { echoed: request.method, by: toHex(node.ed25519) } };
        return encodeSnodeOnionReply(replyKey, reply, instruction);
      }
      case 'proxy': {
        if (!isAllowedProxyTarget(instruction.protocol, instruction.target) || instruction.host !== server.host) {
          throw new Error('Invalid url');
        }
        return httpServer(instruction.body);
      }
    }
  }

  function httpServer(body: Uint8Array): Uint8Array {
    const { plaintext, replyKey } = decryptOnionRequest(server.x25519, body);
    const request = decodeV4Request(plaintext);
    const echo = utf8(`${request.meta.method} ${request.meta.endpoint} ${Buffer.from(request.body ?? []).toString()}`);
    return encryptLayer(replyKey, encodeV4Response({ code: 201, headers: { 'Content-Type': 'text/plain', 'Content-Length': '9' }, body: echo }));
  }

  return {
    trace,
    post(guard: Node, body: Uint8Array): Uint8Array {
      return atNode(guard, parseOnionEnvelope(body).layer);
    },
  };
}

beforeAll(ready);

describe.each(['aes-gcm', 'xchacha20'] as OnionEncType[])('3-hop onion request with %s', (encType) => {
  let path: Node[];
  let storage: Node;
  let server: { x25519: X25519KeyPair; host: string };

  beforeEach(() => {
    path = [makeNode(), makeNode(), makeNode()];
    storage = makeNode();
    server = { x25519: generateOnionKeyPair(), host: 'files.starling.test' };
  });

  it('reaches a storage node and opens its base64 reply', () => {
    const net = network([...path, storage], server);
    const { body, responseKey } = buildOnionRequest({
      path: path.map((n) => n.keys),
      destination: { kind: 'snode', ...storage.keys },
      payload: utf8(JSON.stringify({ method: 'get_swarm', params: {} })),
      encType,
    });
    const reply = net.post(path[0], body);
    const parsed = parseSnodeOnionReply(decryptOnionResponse(responseKey, reply, 'base64'));
    expect(parsed).toEqual({ status: 200, body: { echoed: 'get_swarm', by: toHex(storage.ed25519) } });

    // Each relay learned only the next node; the storage node got the request itself.
    const kinds = net.trace.instructions.map((i) => i.kind);
    expect(kinds).toEqual(['forward', 'forward', 'forward', 'deliver']);
    const destinations = net.trace.instructions.flatMap((i) => (i.kind === 'forward' ? [toHex(i.destination)] : []));
    expect(destinations).toEqual([path[1], path[2], storage].map((n) => toHex(n.ed25519)));
    for (const i of net.trace.instructions) if (i.kind === 'forward') expect(i.layer.encType).toBe(encType);
  });

  it('passes json/base64 flags to the storage node (binary, embedded JSON reply)', () => {
    const net = network([...path, storage], server);
    const { body, responseKey } = buildOnionRequest({
      path: path.map((n) => n.keys),
      destination: { kind: 'snode', ...storage.keys, json: true, base64: false },
      payload: utf8('{"method":"info"}'),
      encType,
    });
    const reply = net.post(path[0], body);
    const plaintext = decryptOnionResponse(responseKey, reply, 'binary');
    expect(JSON.parse(Buffer.from(plaintext).toString()).body).toEqual({ echoed: 'info', by: toHex(storage.ed25519) });
  });

  it('reaches an HTTP server through the exit relay with a v4 request', () => {
    const net = network(path, server);
    const destination: OnionDestination = {
      kind: 'server',
      host: server.host,
      target: '/oxen/v4/lsrpc',
      protocol: 'http',
      port: 80,
      x25519: server.x25519.publicKey,
    };
    const { body, responseKey } = buildOnionRequest({
      path: path.map((n) => n.keys),
      destination,
      payload: encodeV4Request({ meta: { method: 'POST', endpoint: '/file', headers: {} }, body: utf8('blob') }),
      encType,
    });
    const response = decodeV4Response(decryptOnionResponse(responseKey, net.post(path[0], body), 'binary'));
    expect(response.code).toBe(201);
    expect(response.headers).toEqual({ 'content-type': 'text/plain' });
    expect(Buffer.from(response.body).toString()).toBe('POST /file blob');

    const exit = net.trace.instructions[2];
    expect(exit.kind).toBe('proxy');
    if (exit.kind === 'proxy') {
      expect({ host: exit.host, target: exit.target, protocol: exit.protocol, port: exit.port }).toEqual({
        host: server.host,
        target: '/oxen/v4/lsrpc',
        protocol: 'http',
        port: 80,
      });
      expect(decodeOnionFrame(exit.body).meta).toMatchObject({ method: 'POST', enc_type: encType });
    }
  });

  it('tells the guard its enc_type and the optional hop_no', () => {
    const { body } = buildOnionRequest({
      path: path.map((n) => n.keys),
      destination: { kind: 'snode', ...storage.keys },
      payload: utf8('{}'),
      encType,
      hopNo: 4,
    });
    const meta = decodeOnionFrame(body).meta;
    expect(meta.enc_type).toBe(encType);
    expect(meta.hop_no).toBe(4);
    expect(parseOnionEnvelope(body).hopNo).toBe(4);
  });

  it('a tampered body fails at the guard, and no relay can open a layer meant for another', () => {
    const { body } = buildOnionRequest({
      path: path.map((n) => n.keys),
      destination: { kind: 'snode', ...storage.keys },
      payload: utf8('{}'),
      encType,
    });
    const tampered = body.slice();
    tampered[10] ^= 0xff;
    expect(errorCodeOf(() => peelOnionLayer(path[0].x25519, parseOnionEnvelope(tampered).layer))).toBe('DECRYPT_FAILED');
    expect(errorCodeOf(() => peelOnionLayer(path[1].x25519, parseOnionEnvelope(body).layer))).toBe('DECRYPT_FAILED');
    expect(errorCodeOf(() => peelOnionLayer(storage.x25519, parseOnionEnvelope(body).layer))).toBe('DECRYPT_FAILED');
  });

  it('a tampered or misdirected reply is refused by the client', () => {
    const net = network([...path, storage], server);
    const spec = {
      path: path.map((n) => n.keys),
      destination: { kind: 'snode' as const, ...storage.keys, base64: false },
      payload: utf8('{"method":"info"}'),
      encType,
    };
    const first = buildOnionRequest(spec);
    const reply = net.post(path[0], first.body);
    const tampered = reply.slice();
    tampered[tampered.length - 1] ^= 1;
    expect(errorCodeOf(() => decryptOnionResponse(first.responseKey, tampered, 'binary'))).toBe('DECRYPT_FAILED');
    const other = buildOnionRequest(spec);
    expect(errorCodeOf(() => decryptOnionResponse(other.responseKey, reply, 'binary'))).toBe('DECRYPT_FAILED');
  });
});

describe('building requests', () => {
  const node = () => makeNode().keys;

  beforeAll(ready);

  it('defaults to aes-gcm, like desktop', () => {
    const { body, responseKey } = buildOnionRequest({
      path: [node()],
      destination: { kind: 'snode', ...node() },
      payload: utf8('{}'),
    });
    expect(decodeOnionFrame(body).meta.enc_type).toBe('aes-gcm');
    expect(responseKey.encType).toBe('aes-gcm');
  });

  it('uses a fresh ephemeral key per request', () => {
    const spec = { path: [node()], destination: { kind: 'snode' as const, ...node() }, payload: utf8('{}') };
    expect(decodeOnionFrame(buildOnionRequest(spec).body).meta.ephemeral_key).not.toBe(
      decodeOnionFrame(buildOnionRequest(spec).body).meta.ephemeral_key,
    );
  });

  it.each([
    ['an empty path', () => ({ path: [] as OnionNodeKeys[] }), 'MALFORMED'],
    ['a 16-relay path', () => ({ path: Array.from({ length: 16 }, node) }), 'MALFORMED'],
    ['a short relay key', () => ({ path: [{ x25519: new Uint8Array(31), ed25519: new Uint8Array(32) }] }), 'BAD_LENGTH'],
    ['a negative hop_no', () => ({ hopNo: -1 }), 'MALFORMED'],
    [
      'a server on port 0',
      () => ({ destination: { kind: 'server' as const, host: 'h', target: '/oxen/v4/lsrpc', protocol: 'https' as const, port: 0, x25519: node().x25519 } }),
      'MALFORMED',
    ],
  ])('refuses %s', (_name, override, code) => {
    const spec = { path: [node()], destination: { kind: 'snode' as const, ...node() }, payload: utf8('{}'), ...override() };
    expect(errorCodeOf(() => buildOnionRequest(spec))).toBe(code);
  });

  it('refuses a reply that is not base64 or has no result', () => {
    const { responseKey } = buildOnionRequest({ path: [node()], destination: { kind: 'snode', ...node() }, payload: utf8('{}') });
    expect(() => decryptOnionResponse(responseKey, 'not base64!', 'base64')).toThrow(CryptoError);
    expect(errorCodeOf(() => decryptOnionResponse(responseKey, '{"other":1}', 'base64'))).toBe('MALFORMED');
    expect(errorCodeOf(() => decryptOnionResponse(responseKey, Uint8Array.of(0xff, 0xfe), 'base64'))).toBe('BAD_ENCODING');
  });
});

describe('storage node replies', () => {
  it('accepts the legacy {"result": base64} wrapping and status_code', () => {
    const { responseKey } = buildOnionRequest({
      path: [makeNode().keys],
      destination: { kind: 'snode', ...makeNode().keys },
      payload: utf8('{}'),
    });
    const sealed = encryptLayer(responseKey, utf8('{"status_code":421,"body":"{\\"snodes\\":[]}"}'));
    const text = JSON.stringify({ result: Buffer.from(sealed).toString('base64') });
    expect(parseSnodeOnionReply(decryptOnionResponse(responseKey, text, 'base64'))).toEqual({ status: 421, body: { snodes: [] } });
  });

  it('keeps plain-text error bodies as strings', () => {
    expect(parseSnodeOnionReply(utf8('{"status":400,"body":"Invalid json"}'))).toEqual({ status: 400, body: 'Invalid json' });
  });

  it.each(['not json', '[]', '{"body":"x"}', '{"status":"200"}'])('refuses %s', (text) => {
    expect(errorCodeOf(() => parseSnodeOnionReply(utf8(text)))).toBe('MALFORMED');
  });
});
