// Sends requests through onion paths: to a storage node (a storage RPC) or to an HTTP server
// (a v4 request to a file or community server), and reacts to path errors as Session clients do.
import {
  buildOnionRequest,
  CryptoError,
  decodeV4Response,
  decryptOnionResponse,
  encodeV4Request,
  fromHex,
  OnionEncType,
  parseSnodeOnionReply,
  V4Request,
  V4Response,
} from '@starling/crypto';
import { ClientError, ServerKeyRejected } from './errors';
import { HttpOptions, postBytes } from './http';
import { OnionPath, OnionPaths } from './onion-paths';
import { nodeUrl, ServiceNode } from './service-nodes';

export interface SnodeReply {
  status: number;
  body: unknown;
}

export interface ServerAddress {
  host: string;
  port: number;
  protocol: 'http' | 'https';
  /** Hex X25519 key of the server (from the community URL or the client's configuration). */
  x25519: string;
}

const ATTEMPTS = 3;

export class OnionClient {
  constructor(
    private readonly paths: OnionPaths,
    private readonly timeoutMs = 10_000,
    private readonly encType: OnionEncType = 'aes-gcm',
    private readonly httpOptions: HttpOptions = {},
  ) {}

  /** A storage RPC at `node` through a path; the reply is the node's own status and body. */
  async snodeRpc(node: ServiceNode, method: string, params: unknown): Promise<SnodeReply> {
    const payload = Buffer.from(JSON.stringify({ method, params }), 'utf8');
    const destination = { kind: 'snode' as const, x25519: fromHex(node.x25519, 32), ed25519: fromHex(node.ed25519, 32) };
    return this.throughPath(`storage node ${node.ed25519.slice(0, 8)}`, this.timeoutMs, (path) => {
      const built = buildOnionRequest({ path: keysOf(path), destination, payload, encType: this.encType });
      return { body: built.body, open: (reply) => parseSnodeOnionReply(decryptOnionResponse(built.responseKey, reply, 'base64')) };
    });
  }

  /** A v4 request to an HTTP server behind the exit relay. */
  async serverRequest(server: ServerAddress, request: V4Request, timeoutMs = this.timeoutMs): Promise<V4Response> {
    const destination = {
      kind: 'server' as const,
      host: server.host,
      port: server.port,
      protocol: server.protocol,
      target: '/oxen/v4/lsrpc',
      x25519: fromHex(server.x25519, 32),
    };
    const payload = encodeV4Request(request);
    return this.throughPath(`server ${server.host}`, timeoutMs, (path) => {
      const built = buildOnionRequest({ path: keysOf(path), destination, payload, encType: this.encType });
      return { body: built.body, open: (reply) => decodeV4Response(decryptOnionResponse(built.responseKey, reply, 'binary')) };
    }, true);
  }

  /** `toServer`: the exit proxies to an HTTP server, whose own refusals come back through the path. */
  private async throughPath<T>(
    what: string,
    timeoutMs: number,
    build: (path: OnionPath) => { body: Uint8Array; open: (reply: Uint8Array) => T },
    toServer = false,
  ): Promise<T> {
    let lastProblem = 'no path';
    const failedGuards = new Set<string>();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const path = await this.paths.getPath(failedGuards);
      const request = build(path);
      const guard = path.nodes[0];
      let reply;
      try {
        reply = await postBytes(nodeUrl(guard, '/onion_req/v2'), request.body, timeoutMs, 'the guard relay', this.httpOptions);
      } catch (err) {
        // Refused outright: the guard is gone, not slow. Otherwise a strike, as upstream.
        if (err instanceof ClientError && /connection failed/.test(err.message)) this.paths.dropNode(guard.ed25519);
        else this.paths.reportGuardFailure(path);
        failedGuards.add(guard.ed25519);
        lastProblem = (err as Error).message;
        continue;
      }
      if (reply.status !== 200) {
        const text = reply.body.toString('utf8');
        // The server (not a node of the path, whose keys come from the map) could not decrypt its layer.
        if (toServer && reply.status === 400 && text === 'Invalid ciphertext') throw new ServerKeyRejected(what);
        const missing = /^Next node not found: ([0-9a-f]{64})/.exec(text);
        if (missing) this.paths.dropNode(missing[1]);
        else this.paths.reportPathFailure(path);
        failedGuards.add(guard.ed25519);
        lastProblem = `path answered ${reply.status} ${text.slice(0, 120)}`;
        continue;
      }
      try {
        return request.open(reply.body);
      } catch (err) {
        if (!(err instanceof CryptoError)) throw err;
        this.paths.reportPathFailure(path);
        lastProblem = `unreadable reply (${err.message})`;
      }
    }
    throw new ClientError(`cannot reach ${what} through the onion network: ${lastProblem}`);
  }
}

function keysOf(path: OnionPath) {
  return path.nodes.map((n) => ({ x25519: fromHex(n.x25519, 32), ed25519: fromHex(n.ed25519, 32) }));
}
