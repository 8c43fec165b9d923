// The published pysogs auth example (reference §2.9 A): both its unblinded and its blinded
// headers must verify against the Authenticator at the example's server key and time.
import { fromHex, ready } from '@starling/crypto';
import { migrate, openDatabase, openSharedState, type Database, type SharedState } from '@starling/platform';
import { Authenticator } from '../src/auth/authenticator';
import { SharedStateNonces } from '../src/auth/nonces';
import { errorReply } from '../src/http/errors';
import { MIGRATIONS_DIR } from '../src/server';
import { UsersModel } from '../src/users/users.model';

const SERVER_PK = fromHex('c3b3c6f32f0ab5a57f853cc4f30f5da7fda5624b0c77b3fb0829de562ada081d');
const TIMESTAMP = '1642472103';
const PATH = '/room/the-best-room/messages/recent';
const QUERY = 'limit=25';
const VECTORS = [
  {
    name: 'unblinded',
    pubkey: '00bac6e71efd7dfa4a83c98ed24f254ab2c267f9ccdb172a5280a0444ad24e89cc',
    signature: 'xxLpXHbomAJMB9AtGMyqvBsXrdd2040y+Ol/IKzElWfKJa3EYZRv1GLO6CTLhrDFUwVQe8PPltyGs54Kd7O5Cg==',
  },
  {
    name: 'blinded',
    pubkey: '1598932d4bccbe595a8789d7eb1629cefc483a0eaddc7e20e8fe5c771efafd9af5',
    signature: 'gYqpWZX6fnF4Gb2xQM3xaXs0WIYEI49+B8q4mUUEg8Rw0ObaHUWfoWjMHMArAtP9QlORfiydsKWz1o6zdPVeCQ==',
  },
];

describe('auth example vectors', () => {
  let db: Database;
  let state: SharedState;
  beforeAll(async () => {
    await ready();
    db = await openDatabase();
    await migrate(db, MIGRATIONS_DIR);
  }, 60_000);
  beforeEach(async () => {
    state = await openSharedState(); // fresh nonce memory: every vector reuses the same nonce
  });
  afterEach(() => state.close());
  afterAll(() => db.close());

  const authenticator = (requireBlinding: boolean) =>
    new Authenticator({ db, users: new UsersModel(SERVER_PK, requireBlinding), nonces: new SharedStateNonces(state), serverPk: SERVER_PK, requireBlinding, now: () => Number(TIMESTAMP) });

  const request = (pubkey: string, signature: string, query = QUERY) => ({
    method: 'GET' as const,
    path: PATH,
    query,
    body: Buffer.alloc(0),
    headers: { 'x-sogs-pubkey': pubkey, 'x-sogs-nonce': 'CdB5nyKVmQGCw6s0Bvv8Ww==', 'x-sogs-timestamp': TIMESTAMP, 'x-sogs-signature': signature },
  });

  it.each(VECTORS)('$name example verifies', async ({ pubkey, signature }) => {
    const user = await authenticator(false).authenticate(request(pubkey, signature));
    expect(user!.sessionId.startsWith(pubkey.startsWith('15') ? '15' : '05')).toBe(true);
  });

  it.each(VECTORS)('$name example fails for another query', async ({ pubkey, signature }) => {
    // The domain error the HTTP layer answers with 401.
    await expect(authenticator(false).authenticate(request(pubkey, signature, 'limit=26')).catch((err) => errorReply(err).status)).resolves.toBe(401);
  });
});
