// X-SOGS-* header vectors: client.md 9.3 and sogs-fileserver.md 2.9 A (same inputs).

export const sogsRequest = {
  seed: 'c010d89eccbaf5d1c6d19df766c6eedf965d4a28a56f87c9fc819edb59896dd9',
  serverPk: 'c3b3c6f32f0ab5a57f853cc4f30f5da7fda5624b0c77b3fb0829de562ada081d',
  nonceHex: '09d0799f2295990182c3ab3406fbfc5b',
  nonceBase64: 'CdB5nyKVmQGCw6s0Bvv8Ww==',
  timestamp: 1642472103,
  method: 'GET',
  path: '/room/the-best-room/messages/recent?limit=25',
  body: 'hello 🎂',
};

export interface SogsHeaderVector {
  name: string;
  blinding: 'unblinded' | 'blind15';
  withBody: boolean;
  pubkey: string;
  signature: string;
}

const UNBLINDED = '00bac6e71efd7dfa4a83c98ed24f254ab2c267f9ccdb172a5280a0444ad24e89cc';
const BLINDED15 = '1598932d4bccbe595a8789d7eb1629cefc483a0eaddc7e20e8fe5c771efafd9af5';

export const sogsHeaderVectors: SogsHeaderVector[] = [
  { name: 'unblinded, no body', blinding: 'unblinded', withBody: false, pubkey: UNBLINDED, signature: 'xxLpXHbomAJMB9AtGMyqvBsXrdd2040y+Ol/IKzElWfKJa3EYZRv1GLO6CTLhrDFUwVQe8PPltyGs54Kd7O5Cg==' },
  { name: 'unblinded, with body', blinding: 'unblinded', withBody: true, pubkey: UNBLINDED, signature: 'uumZNee7NUb0lVufegjzgjjnj4pe3kAe6OYw7iVTJrcxxxdIxUCgt5/xliBWqPlgY6ReUZRAuptNa4nprv7nCA==' },
  { name: 'blind15 (pysogs/desktop nonce), no body', blinding: 'blind15', withBody: false, pubkey: BLINDED15, signature: 'gYqpWZX6fnF4Gb2xQM3xaXs0WIYEI49+B8q4mUUEg8Rw0ObaHUWfoWjMHMArAtP9QlORfiydsKWz1o6zdPVeCQ==' },
  { name: 'blind15 (pysogs/desktop nonce), with body', blinding: 'blind15', withBody: true, pubkey: BLINDED15, signature: 'hZCg5pEoy9t98umaY6fNarzcLP5UKUF8chz5mIjwwrRIQLy1kinRoYcNPdFOpJu8heA0val4viymXRTp1DGeBg==' },
];

/** The reference abbreviates the libsession-nonce blind15 signatures: pinned by their ends. */
export const sogsLibsessionNonceVectors = [
  { withBody: false, starts: 'kXxMbg6+', ends: 'GWyCQ==' },
  { withBody: true, starts: '6LJlpQJH', ends: 'MANBw==' },
];
