// v4 onion payload framing. Source: storage-onion.md 3.8 ("v4 framing (pysogs doc)"), with the
// exact strings of session-pysogs sogs/routes/onion_request.py's documentation.

export const v4RequestVectors = [
  {
    name: 'GET with one header (1-string list, 79-byte meta)',
    encoded: 'l79:{"method":"GET","endpoint":"/room/some-room","headers":{"Some-Header":"12345"}}e',
    meta: { method: 'GET', endpoint: '/room/some-room', headers: { 'Some-Header': '12345' } },
    body: undefined as string | undefined,
  },
  {
    name: 'POST with a body (2-string list)',
    encoded: 'l72:{"method":"POST","endpoint":"/some/thing","headers":{"Some-Header":"a"}}14:post body heree',
    meta: { method: 'POST', endpoint: '/some/thing', headers: { 'Some-Header': 'a' } },
    body: 'post body here' as string | undefined,
  },
];

export const v4ResponseVectors = [
  {
    name: 'JSON 200',
    encoded: 'l58:{"code":200,"headers":{"content-type":"application/json"}}11:{"id": 123}e',
    code: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"id": 123}',
  },
];
