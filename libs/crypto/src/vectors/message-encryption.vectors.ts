// 1:1 Session-protocol encryption. Source: client.md 2.6 (libsession test_session_encrypt.cpp);
// the recipient's seed is the one that test uses for "05aa654f…" (its Ed25519 pk 5ea34e72…, which
// client.md 9.1 also lists).

export const deterministicSealVectors = [
  {
    name: 'client.md 2.6 deterministic "hello"',
    senderSeed: '0123456789abcdef0123456789abcdef00000000000000000000000000000000',
    senderEd25519: '4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7',
    senderSessionId: '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72',
    recipientSeed: '00112233445566778899aabbccddeeff00000000000000000000000000000000',
    recipientSessionId: '05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74',
    plaintext: 'hello',
    ciphertext:
      '208f96785db92319bc7a14afecc01e17bde912d17bbb32834c03ea63b1862c2a1b730e0725ef75b2f1a276db584c59a0ed9b5497bcb9f4effa893b5cb8b04dbe7a6ab457ebf972f03b006dd4572980a725399616d40184b86aa3b7b218bdc6dd7c1adccda8ef4897f0f458492240b39079c27a6c791067ab26a03067a7602b50f0434639906f93e548f909d5286edde365ebddc146',
    /** 5 + 96 + 48 */
    length: 149,
  },
];
