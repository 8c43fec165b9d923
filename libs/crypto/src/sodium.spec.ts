import { ready, sodium } from './sodium';

describe('sodium', () => {
  it('is usable once ready() resolves', async () => {
    await ready();
    expect(sodium().crypto_sign_SEEDBYTES).toBe(32);
  });
});
