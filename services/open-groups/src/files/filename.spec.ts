import { contentDisposition, filenameFromDisposition } from './filename';

describe('room file names', () => {
  it('reads RFC 5987, quoted and plain names, preferring the extended form', () => {
    expect(filenameFromDisposition("attachment; filename*=UTF-8''na%C3%AFve%20plan.txt")).toBe('naïve plan.txt');
    expect(filenameFromDisposition('attachment; filename="a \\"b\\".png"')).toBe('a "b".png');
    expect(filenameFromDisposition('attachment; filename=logo.png; size=3')).toBe('logo.png');
    expect(filenameFromDisposition('attachment; filename="old.txt"; filename*=UTF-8\'\'new.txt')).toBe('new.txt');
  });

  it('has no name for a missing or empty one, and replaces NUL and slashes', () => {
    expect(filenameFromDisposition(undefined)).toBeNull();
    expect(filenameFromDisposition('attachment')).toBeNull();
    expect(filenameFromDisposition('attachment; filename=""')).toBeNull();
    expect(filenameFromDisposition("attachment; filename*=UTF-8''..%2Fetc%00x")).toBe('..\ufffdetc\ufffdx');
  });

  it('writes names back so that they read the same', () => {
    for (const name of ["it's (final) *.png", 'naïve.txt', 'plain']) expect(filenameFromDisposition(contentDisposition(name))).toBe(name);
    expect(contentDisposition(null)).toBe('attachment');
    expect(contentDisposition("a'b")).toBe("attachment; filename*=UTF-8''a%27b");
  });
});
