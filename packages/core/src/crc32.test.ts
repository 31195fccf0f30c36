import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('gives the standard IEEE check value and 0 for no bytes', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('continues a running value: any cut into chunks gives the CRC-32 of the whole', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 131 + 7) & 0xff);
    const whole = crc32(bytes);
    for (const cuts of [[1], [500], [0, 999], [3, 17, 256, 700, 999]]) {
      let running = 0;
      let from = 0;
      for (const to of [...cuts, bytes.length]) {
        running = crc32(bytes.subarray(from, to), running);
        from = to;
      }
      expect(running).toBe(whole);
    }
    // An empty chunk leaves the running value as it was.
    expect(crc32(new Uint8Array(0), whole)).toBe(whole);
  });
});
