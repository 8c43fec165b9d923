// Malformed or partial X-SOGS-* headers: 400 with upstream's exact texts.
import { expectJson, expectText, forEachBackend } from './helpers';

forEachBackend('auth headers', (h) => {
  it('accepts a blinded request and anonymous requests on optional endpoints', async () => {
    const user = h().newUser();
    expect(expectJson(await h().get('/inbox', user))).toEqual([]);
    expect(expectJson(await h().get('/room/test-room')).token).toBe('test-room');
  });

  it('requires authentication where upstream does', async () => {
    expectText(await h().get('/inbox'), 401, 'X-SOGS-* request authentication required');
    expectText(await h().post('/room/test-room/message', null, { data: 'AA==', signature: 'AA==' }), 401, 'X-SOGS-* request authentication required');
  });

  it('counts missing and empty headers', async () => {
    const user = h().newUser();
    const headers = h().sign(user, 'GET', '/inbox', Buffer.alloc(0));
    const missingOne = { ...headers, 'X-SOGS-Timestamp': '' };
    expectText(await h().get('/inbox', null, { headers: missingOne }), 400, 'Invalid authentication headers: missing 1/4 required X-SOGS-* headers');
    const missingTwo = { ...headers, 'X-SOGS-Timestamp': '', 'X-SOGS-Nonce': '' };
    expectText(await h().get('/inbox', null, { headers: missingTwo }), 400, 'Invalid authentication headers: missing 2/4 required X-SOGS-* headers');
  });

  it('rejects malformed pubkey, nonce, signature and timestamp', async () => {
    const user = h().newUser();
    const good = () => h().sign(user, 'GET', '/inbox', Buffer.alloc(0));
    const cases: [Record<string, string>, string][] = [
      [{ 'X-SOGS-Pubkey': 'abcd' }, 'Invalid authentication: X-SOGS-Pubkey is not a valid 66-hex digit id'],
      [{ 'X-SOGS-Pubkey': '05' + user.id.slice(2) }, 'Invalid authentication: X-SOGS-Pubkey must be 00-, 15-, or 25- prefixed'],
      // y = 1 encodes the identity point (small order): not a valid key.
      [{ 'X-SOGS-Pubkey': '150100000000000000000000000000000000000000000000000000000000000000' }, 'Invalid authentication: given X-SOGS-Pubkey is not a valid Ed25519 pubkey'],
      [{ 'X-SOGS-Nonce': 'abcdef' }, 'Invalid authentication: X-SOGS-Nonce must be 16 bytes (encoded as base64 or hex)'],
      [{ 'X-SOGS-Signature': good()['X-SOGS-Signature'].slice(0, -4) }, 'Invalid authentication: X-SOGS-Signature is not base64[88]'],
      [{ 'X-SOGS-Timestamp': 'yesterday' }, 'Invalid authentication: X-SOGS-Timestamp is not a valid timestamp'],
    ];
    for (const [override, text] of cases) {
      expectText(await h().get('/inbox', null, { headers: { ...good(), ...override } }), 400, text);
    }
  });

  it('accepts nonces as hex and as unpadded base64', async () => {
    const user = h().newUser();
    const nonce = new Uint8Array(16).map((_, i) => i + 100);
    const headers = h().sign(user, 'GET', '/inbox', Buffer.alloc(0), { nonce });
    expect((await h().get('/inbox', null, { headers: { ...headers, 'X-SOGS-Nonce': Buffer.from(nonce).toString('hex') } })).status).toBe(200);
    const nonce2 = new Uint8Array(16).map((_, i) => i + 50);
    const headers2 = h().sign(user, 'GET', '/inbox', Buffer.alloc(0), { nonce: nonce2 });
    const unpadded = Buffer.from(nonce2).toString('base64').replace(/=+$/, '');
    expect((await h().get('/inbox', null, { headers: { ...headers2, 'X-SOGS-Nonce': unpadded } })).status).toBe(200);
  });
});
