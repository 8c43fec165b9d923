// A nonce is spent once seen, even by a request whose signature then fails.
import { expectText, forEachStateBackend } from './helpers';

forEachStateBackend('auth nonce reuse', (h) => {
  it('refuses the second use of a nonce with 425', async () => {
    const user = h().newUser();
    const nonce = new Uint8Array(16).fill(9);
    expect((await h().get('/inbox', user, { nonce })).status).toBe(200);
    expectText(await h().get('/inbox', user, { nonce }), 425, 'Invalid authentication: X-SOGS-Nonce cannot be reused');
  });

  it('spends the nonce of a request whose signature failed', async () => {
    const user = h().newUser();
    const nonce = new Uint8Array(16).fill(11);
    expect((await h().get('/inbox', user, { nonce, signPath: '/outbox' })).status).toBe(401);
    expectText(await h().get('/inbox', user, { nonce }), 425, 'Invalid authentication: X-SOGS-Nonce cannot be reused');
  });

  it('spends nonces across users', async () => {
    const nonce = new Uint8Array(16).fill(12);
    expect((await h().get('/inbox', h().newUser(), { nonce })).status).toBe(200);
    expect((await h().get('/inbox', h().newUser(), { nonce })).status).toBe(425);
  });
});
