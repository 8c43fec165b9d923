// Identity vectors: seed -> Ed25519 pk -> Session ID. Sources: client.md 1.3, 9.1, 9.2, 9.3, 9.6;
// storage-onion.md 1.11. Hex strings exactly as published; one row per vector.

export interface IdentityVector {
  source: string;
  /** 16-byte account seed or 32-byte Ed25519 seed, hex. */
  seed: string;
  ed25519Pk: string;
  /** Omitted where the source gives none. */
  sessionId?: string;
  x25519Sk?: string;
}

export const identityVectors: IdentityVector[] = [
  {
    source: 'client.md 1.3 row 1',
    seed: '000102030405060708090a0b0c0d0e0f',
    ed25519Pk: '65adc5bfb14b5363f1b50e63a431f6fe08ff5d4e8d362c1e3d4c56c9d044bfb0',
    sessionId: '05ca03b8e369aeeb69fd260c2957d37b232db17a60db7a39bca9f0c0a6be135c1a',
  },
  {
    source: 'client.md 1.3 row 2',
    seed: '00000000000000000000000000000000',
    ed25519Pk: '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29',
    sessionId: '055bf55c73b82ebe22be80f3430667af570fae2556a6415e6b30d4065300aa947d',
  },
  {
    source: 'client.md 1.3 row 3',
    seed: '0123456789abcdef0123456789abcdef',
    ed25519Pk: '4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7',
    sessionId: '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72',
    x25519Sk: 'c066ce44b14d551ee69dbcd631c061d17655b374f5d54e4f1ea9e3718638956b',
  },
  {
    source: 'client.md 9.1 (libsession test_ed25519) key 1',
    seed: '4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7',
    ed25519Pk: '8862834829a87e0afadfed763fa8785e893dbde7f2c001ff1071aa55005c347f',
  },
  {
    source: 'client.md 9.1 (libsession test_ed25519) key 2',
    seed: '5ea34e72bb044654a6a23675690ef5ffaaf1656b02f93fb76655f9cbdbe89876',
    ed25519Pk: 'cd83ca3d13ad8a954d5011aa7861abe3a29ac25b70c4ed5234aff74d34ef5786',
  },
  {
    source: 'client.md 9.2 sk1',
    seed: 'fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122',
    ed25519Pk: 'f4ef873908f6a5377ba3853f0e2fa326eed9e741edf9f7d0311a3ecc66a57b32',
    sessionId: '05fe94b7ad4b7f1cc1bb92671f1f0d243f226e115b33770465e82b503fc3e96e1f',
  },
  {
    source: 'client.md 9.2 sk2 (negative Ed25519 pk)',
    seed: '8659efdcbe0949e0f81141e6d397e8be75f45d09262f209d5950e97989eb43c7',
    ed25519Pk: '3570b69a47dc094544c1c5089c40414bbda1ffdde8aab2617fe937ee74a5ee81',
    sessionId: '0505c9a9bf178fa644d44bebf628716dc7f2df3d0842e97881962c723699152073',
  },
  {
    source: 'client.md 9.3 / sogs-fileserver.md 2.9 A',
    seed: 'c010d89eccbaf5d1c6d19df766c6eedf965d4a28a56f87c9fc819edb59896dd9',
    ed25519Pk: 'bac6e71efd7dfa4a83c98ed24f254ab2c267f9ccdb172a5280a0444ad24e89cc',
  },
  {
    source: 'client.md 9.6 group key (03 prefix)',
    seed: '4db38882cf0a0fffcbb971eb2b1420c92bc836c6946cd97bdc0c2787b806549d',
    ed25519Pk: '0442ca9b758eefe0c42370696688b28f48f44bf44941fae4f3d5b41f6358c41d',
  },
  {
    source: 'client.md 9.6 user key (16-byte seed + zeros)',
    seed: 'b0e12943e22e8f71774c2c4205fed598',
    ed25519Pk: 'bdd5eaf00eaf965ca63b7e8b119d8122d4647ffd5bb58daa1f78dfc54dd53989',
  },
  {
    source: 'storage-onion.md 1.11',
    seed: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    ed25519Pk: '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8',
    sessionId: '054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01',
  },
];

export interface MnemonicVector {
  source: string;
  seed: string;
  phrase: string;
}

export const mnemonicVectors: MnemonicVector[] = [
  {
    source: 'client.md 1.3 row 1 (libsession test_mnemonics)',
    seed: '000102030405060708090a0b0c0d0e0f',
    phrase: 'amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed faxed',
  },
  {
    source: 'client.md 1.3 row 2',
    seed: '00000000000000000000000000000000',
    phrase: Array(13).fill('abbey').join(' '),
  },
  {
    source: 'client.md 1.3 row 3',
    seed: '0123456789abcdef0123456789abcdef',
    phrase: 'vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept',
  },
  {
    source: 'client.md 1.3 (32-byte legacy seed, 25 words)',
    seed: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    phrase:
      'amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed update vague ' +
      'zinger boxes ornament renting glass gained island nabbing afield calamity boxes',
  },
];

/** X25519 secret -> public: sogs-fileserver.md 2.9 D (pysogs onion test ephemeral key). */
export const x25519Vectors = [
  {
    source: 'sogs-fileserver.md 2.9 D',
    secretKey: 'ec32fb5766cf52b1b5d7b0bff08e29f5c0c58ca19beaf6a5c7d3dd8ac7ced963',
    publicKey: 'd79a50b82ba8ca665f854382b42ba159efd16eef87409e97a8d07395b9492928',
  },
];
