import { describe, expect, it } from 'vitest';
import { contentTypeFor } from './content-types.js';

describe('contentTypeFor', () => {
  it.each([
    ['tfjs-backend-wasm.wasm', 'application/wasm'],
    ['run.json', 'application/json; charset=utf-8'],
    ['points/images.bin', 'application/octet-stream'],
    ['compare.png', 'image/png'],
    ['variance.svg', 'image/svg+xml'],
    ['report.html', 'text/html; charset=utf-8'],
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['assets/index.css', 'text/css; charset=utf-8'],
    ['FIGURE.PNG', 'image/png'],
    ['no-extension', 'application/octet-stream'],
    ['archive.tar.gz', 'application/octet-stream'],
  ])('%s is %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });
});
