// File names in Content-Disposition headers (RFC 6266 / RFC 5987), as room uploads carry them.

/** The name given by an upload's Content-Disposition, or null. NUL and '/' become U+FFFD. */
export function filenameFromDisposition(header: string | undefined): string | null {
  if (!header) return null;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]*)/i.exec(header);
  if (extended) {
    try {
      name = decodeURIComponent(extended[1].trim());
    } catch {
      name = null;
    }
  }
  if (name === null) {
    const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
    const plain = /filename\s*=\s*([^;"\s][^;]*)/i.exec(header);
    if (quoted) name = quoted[1].replace(/\\(.)/g, '$1');
    else if (plain) name = plain[1].trim();
  }
  if (name === null || name === '') return null;
  return name.replace(/[\u0000/]/g, '\ufffd');
}

/** RFC 5987 attr-char percent-encoding of UTF-8. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function contentDisposition(filename: string | null): string {
  return filename ? `attachment; filename*=UTF-8''${encodeRfc5987(filename)}` : 'attachment';
}
