const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648, padded) without Node's Buffer, so it runs in browsers too. */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const triple = (a << 16) | (b << 8) | c;
    chunk += ALPHABET[(triple >> 18) & 63]! + ALPHABET[(triple >> 12) & 63]!;
    chunk += i + 1 < bytes.length ? ALPHABET[(triple >> 6) & 63]! : '=';
    chunk += i + 2 < bytes.length ? ALPHABET[triple & 63]! : '=';
    // Join in pieces: repeated += on one huge string is slow in some engines.
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** A data: URI for PNG bytes, for embedding in a self-contained HTML report. */
export function pngDataUri(bytes: Uint8Array): string {
  return `data:image/png;base64,${toBase64(bytes)}`;
}

/** A data: URI for an SVG document (UTF-8, base64 so no characters need escaping in HTML attributes). */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${toBase64(new TextEncoder().encode(svg))}`;
}
