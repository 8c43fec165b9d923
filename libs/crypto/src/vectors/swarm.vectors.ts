// Swarm space vectors (storage-onion.md 2.1; upstream oxen-storage-server unit_test/swarm.cpp).

const U64_MAX = (1n << 64n) - 1n;

export const swarmPositionVectors: { accountId: string; position: bigint }[] = [
  { accountId: '053506f4a71324b7dd114eddbf4e311f39dde243e1f2cb97c40db1961f70ebaae8', position: 17589930838143112648n },
  { accountId: '05cf27da303a50ac8c4b2d43d27259505c9bcd73fc21cf2a57902c3d050730b604', position: 10370619079776428163n },
  { accountId: '03d3511706b8b34f6e8411bf07bd22ba6b2435ca56846fbccf6eb1e166a6cd15cc', position: 2144983569669512198n },
  { accountId: 'ff0f06693428fca9102a451e3f28d9cc743d8ea60a89ab6aa69eb119470c11cbd3', position: 9690840703409570833n },
  { accountId: '05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48', position: 4532060000165252872n },
  { accountId: '05eeeeeeeeeeeeeeee777777777777777711111111111111118888888888888888', position: 0n },
  { accountId: '05' + 'f'.repeat(62) + 'fe', position: 1n },
  { accountId: '05' + '0'.repeat(48) + 'f'.repeat(16), position: U64_MAX },
  { accountId: '05' + '0'.repeat(48) + '0123456789abcdef', position: 0x0123456789abcdefn },
  { accountId: '054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01', position: 308072453193212310n },
];

const BASE_SWARMS = [100n, 200n, 300n, 399n, 498n, 596n, 694n];
const WITH_HIGH = [...BASE_SWARMS, U64_MAX - 19n]; // 2^64 - 20
const WITH_ZERO = [...WITH_HIGH, 0n];

export const closestSwarmVectors: { swarms: bigint[]; position: bigint; swarm: bigint }[] = [
  ...(
    [
      [0n, 100n],
      [0x95n, 100n],
      [0x96n, 100n], // tie at 150: the lower swarm
      [0x97n, 200n],
      [0xfan, 200n],
      [0xfbn, 300n],
      [0x15dn, 300n],
      [0x15en, 399n],
      [0x1c0n, 399n],
      [0x1c1n, 498n],
      [0x223n, 498n],
      [0x224n, 596n],
      [0x285n, 596n],
      [0x286n, 694n],
      [0x8000000000000000n, 694n],
      [0xa000000000000000n, 100n],
      [0x800000000000018cn, 694n],
      [0x800000000000018dn, 694n], // tie across the wrap gap: the highest swarm
      [0x800000000000018en, 100n],
      [U64_MAX, 100n],
    ] as const
  ).map(([position, swarm]) => ({ swarms: BASE_SWARMS, position, swarm })),
  { swarms: WITH_HIGH, position: 0x27n, swarm: U64_MAX - 19n },
  { swarms: WITH_HIGH, position: 0x28n, swarm: U64_MAX - 19n },
  { swarms: WITH_HIGH, position: 0x29n, swarm: 100n },
  { swarms: WITH_ZERO, position: U64_MAX, swarm: 0n },
  { swarms: WITH_ZERO, position: U64_MAX - 1n, swarm: 0n },
];
