// A client load for benchmarks that want the network busy the way clients keep it busy: sending
// messages. Each worker sends namespace-0 stores (1-4 KiB of data, random accounts; namespace 0
// needs no signature) to a storage node through a relay, as a one-hop onion request, one after
// another over its own keep-alive HTTPS connection. Relays peel and forward, storage nodes store
// and replicate to their swarm.
import { randomBytes } from 'crypto';
import { Agent, request } from 'https';
import type { ServiceNode } from '@starling/client';
import { buildOnionRequest, decryptOnionResponse, fromHex, parseSnodeOnionReply, ready, type OnionNodeKeys } from '@starling/crypto';

const ACCOUNTS = 2000;
const MESSAGE_TTL_MS = 3_600_000;

function keysOf(node: ServiceNode): OnionNodeKeys {
  return { ed25519: fromHex(node.ed25519, 32), x25519: fromHex(node.x25519, 32) };
}

/** POSTs one body to a node's /onion_req/v2; the HTTP status and body, or the connection error. */
function post(agent: Agent, node: ServiceNode, body: Uint8Array): Promise<{ status: number; body: Buffer } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: node.ip, port: node.port, path: '/onion_req/v2', method: 'POST', agent, rejectUnauthorized: false, headers: { 'content-length': body.byteLength } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', () => resolve({ error: 'connection lost' }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(body);
  });
}

/** Sends messages until `untilMs` (performance.now()); counts outcomes (`200`, `node 421`, `HTTP 503`, ...). */
export async function sendMessages(relays: ServiceNode[], stores: ServiceNode[], workers: number, untilMs: number): Promise<Map<string, number>> {
  await ready();
  const accounts = Array.from({ length: ACCOUNTS }, () => `05${randomBytes(32).toString('hex')}`);
  const outcomes = new Map<string, number>();
  const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  let sent = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        while (performance.now() < untilMs) {
          const n = sent++;
          const relay = relays[n % relays.length]!;
          const store = stores[n % stores.length]!;
          const params = {
            pubkey: accounts[n % ACCOUNTS],
            timestamp: Date.now(),
            ttl: MESSAGE_TTL_MS,
            namespace: 0,
            data: randomBytes(1024 * (1 + (n % 4))).toString('base64'),
          };
          const built = buildOnionRequest({
            path: [keysOf(relay)],
            destination: { kind: 'snode', ...keysOf(store) },
            payload: Buffer.from(JSON.stringify({ method: 'store', params })),
            encType: 'aes-gcm',
          });
          const reply = await post(agent, relay, built.body);
          if ('error' in reply) count(reply.error);
          else if (reply.status !== 200) count(`HTTP ${reply.status}`);
          else {
            const answer = parseSnodeOnionReply(decryptOnionResponse(built.responseKey, reply.body, 'base64'));
            count(answer.status === 200 ? '200' : `node ${answer.status}`);
          }
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  return outcomes;
}
