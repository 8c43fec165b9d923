// Push subscription signatures computed in Python (cryptography Ed25519) with the Ed25519 seed
// 00 01 .. 1f, whose Session ID is the account below (storage-onion.md 1.11).
export const monitorSigningSeedHex = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
export const monitorSigningAccountHex = '054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01';

export const monitorSigningVectors: Array<
  | { kind: 'monitor'; sigTs: number; wantData: boolean; namespaces: number[]; text: string; signature: string }
  | { kind: 'unsubscribe'; sigTs: number; text: string; signature: string }
> = [
  {
    kind: 'monitor',
    sigTs: 1700000000,
    wantData: true,
    namespaces: [0],
    text: 'MONITOR054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01170000000010',
    signature: 'PkkHE6oLJDV2TTrdUpm+k8KccJz9A7ncL1pygSSg2Pj2r4psbM5nNv6Gx7USzjAMIENyUR+8W3fvUKvDCH69DQ==',
  },
  {
    kind: 'monitor',
    sigTs: 1700000000,
    wantData: false,
    namespaces: [-10, 0, 2, 5],
    text: 'MONITOR054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca0117000000000-10,0,2,5',
    signature: 'yq/GyozBhg3tv3jBx8nahGPZKdpg3yw+yB/D2uVKypEF1gWsRSzsVja5AagNP4WmgPrEymkGnMyoO4cseIGiAw==',
  },
  {
    kind: 'unsubscribe',
    sigTs: 1700000000,
    text: 'UNSUBSCRIBE054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca011700000000',
    signature: 'sP/WjSOiuxabzevgMdopIcBZgvOgUNmv8BSziRR8C6or04oB0hc42bP/TeEUO24NQLMdImHKyNGAGrSEthZ2BA==',
  },
];
