// Storage message hash vectors (storage-onion.md 1.5). The upstream row's data is the full base64
// from oxen-storage-server unit_test/service_node.cpp (the reference quotes its ends and length).

export interface MessageHashVector {
  source: string;
  accountId: string; // 66 hex
  namespace: number;
  dataBase64?: string;
  dataUtf8?: string;
  hash: string;
}

export const messageHashVectors: MessageHashVector[] = [
  {
    source: 'oxen-storage-server unit_test/service_node.cpp',
    accountId: '05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48',
    namespace: 0,
    dataBase64:
      'CAES1gIKA1BVVBIPL2FwaS92MS9tZXNzYWdlGrsCCAYovfqZv4YvQq8CVwutUBbhRzZw80TvR6uTYMKg9DSag' +
      'rtpeEpY31L7VxawfS8aSya0SiDa4J025SkjP13YX8g5pxgQ8Z6hgfNArMqr/tSijJ9miVKVDJ63YWE85O8kyW' +
      'F8tdtZR5j0Vxb+JH5U8Rg1bp7ftKk3OSf7JJMcrUUrDnctQHe540zJ2OTDJ03DfubkX5NmKqEu5nhXGxeeDv3' +
      'mTiL63fjtCvZYcikfjf6Nh1AX++HTgJ9SGoEIMastGUorFrmmXb2sbjHxNiJn0Radj/VzcA9VxYwBW5+AbGQ2' +
      'd9+vvm7X+8vh+jIenJfjxf+8CWER+9adNfb4YUH07I+godNCV0O0J05gzqfKdT7J8MBZzFBtKrbk8oCagPpTs' +
      'q/wZyYFKFKKD+q+zh704dYBILvs5yXUA96pIAA=',
    hash: '4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs',
  },
  {
    source: 'storage-onion.md 1.5 (computed)',
    accountId: '054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01',
    namespace: 0,
    dataUtf8: 'hello',
    hash: 'gwTFi7xJfaW/kuECEKV+HwjKWozToGIYTM7R9KyaH7M',
  },
];
