import { gzipSync } from 'node:zlib';
import { mkdir, readFile, readdir, rm, writeFile, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

/** IDX bytes: magic (0,0,type,ndim), big-endian dims, payload. */
function idx(dims: number[], payload: Uint8Array, type = 0x08): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head.set([0, 0, type, dims.length]);
  const view = new DataView(head.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

function npy(descr: string, shape: number[], data: Uint8Array, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/**
 * The corpus of bad inputs: each ends with a non-zero exit code, one line on stderr naming the file and
 * the problem (no stack trace), and no output written.
 */
describe('bad input gives one line naming the file and the problem', () => {
  let dir: string;
  const pixels = (n: number) => Uint8Array.from({ length: n * 16 }, (_, i) => (i * 37) % 256);

  beforeAll(async () => {
    dir = await tempDir();
    const f = (name: string, bytes: Uint8Array | string) => writeFile(join(dir, name), bytes);
    const good = idx([20, 4, 4], pixels(20));
    await f('truncated-idx3-ubyte', good.subarray(0, good.length - 5));
    const gz = gzipSync(good);
    gz[gz.length - 12]! ^= 0xff; // damage the deflate stream
    await f('corrupt-idx3-ubyte.gz', gz);
    await f('magic-idx3-ubyte', Uint8Array.from(good, (b, i) => (i === 0 ? 7 : b)));
    await f('dims-idx3-ubyte', idx([30, 4, 4], pixels(20)));
    await f('dtype.npy', npy('<c16', [2, 2], new Uint8Array(64)));
    await f('fortran.npy', npy('<f4', [2, 2], new Uint8Array(16), true));
    await f('ragged.csv', 'a,b,c\n1,2,3\n4,5\n');
    await f('words.csv', 'a,b\n1,2\n3,hello\n');
    await f('nan.csv', 'a,b\n1,2\n3,NaN\n');
    await f('inf.csv', 'a,b\n1,2\nInfinity,4\n');
    await f('empty.csv', 'a,b,c\n');
    await f('small-idx3-ubyte', good);
  }, 60_000);

  const cases: [string, string, RegExp][] = [
    ['truncated IDX', 'idx:truncated-idx3-ubyte', /truncated-idx3-ubyte.*(truncated|expected \d+ bytes)/i],
    ['gzip-corrupt IDX', 'idx:corrupt-idx3-ubyte.gz', /corrupt-idx3-ubyte\.gz.*(gzip|corrupt|inflate|deflate|checksum|crc)/i],
    ['wrong magic', 'idx:magic-idx3-ubyte', /magic-idx3-ubyte.*magic/i],
    ['dims disagree with length', 'idx:dims-idx3-ubyte', /dims-idx3-ubyte.*expected \d+ bytes/i],
    ['NPY unsupported dtype', 'npy:dtype.npy', /dtype\.npy.*(dtype|<c16)/i],
    ['NPY Fortran order', 'npy:fortran.npy', /fortran\.npy.*fortran/i],
    ['CSV ragged rows', 'csv:ragged.csv', /ragged\.csv.*line 3/i],
    ['CSV non-numbers', 'csv:words.csv', /words\.csv.*hello/i],
    ['CSV NaN', 'csv:nan.csv', /nan\.csv.*NaN/i],
    ['CSV Inf', 'csv:inf.csv', /inf\.csv.*Inf/i],
    ['empty dataset', 'csv:empty.csv', /empty\.csv.*(empty|no data|no rows)/i],
    ['missing file', 'idx:nope-idx3-ubyte', /nope-idx3-ubyte/],
  ];
  for (const [name, data, pattern] of cases) {
    it(name, async () => {
      const r = await cli(['fit', '--data', data, '--reducer', 'pca', '--latent', '2', '--out', `out-${name.replace(/\W+/g, '-')}`], { cwd: dir });
      expect(r.code).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^latentkit: /);
      expect(lines[0]).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect((await readdir(dir)).filter((n) => n.startsWith('out-') || n.startsWith('.out-'))).toEqual([]);
    });
  }

  it('--debug adds the stack trace', async () => {
    const r = await cli(['fit', '--data', 'idx:magic-idx3-ubyte', '--latent', '2', '--out', 'x', '--debug'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('models and output folders', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    const r = await cli(['fit', '--reducer', 'pca', '--latent', '4', '--out', 'model'], { cwd: dir });
    expect(r.code).toBe(0);
  }, 120_000);

  async function brokenCopy(name: string, damage: (d: string) => Promise<void>): Promise<string> {
    await cp(join(dir, 'model'), join(dir, name), { recursive: true });
    await damage(join(dir, name));
    return name;
  }

  it('images of another size than the model’s', async () => {
    await writeFile(join(dir, 'small-idx3-ubyte'), idx([20, 4, 4], new Uint8Array(320)));
    const r = await cli(['eval', 'model', '--data', 'idx:small-idx3-ubyte'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^latentkit: .*16 features per sample, but the model in model expects 784/);
  });

  it('a bundle with missing weights', async () => {
    const m = await brokenCopy('missing', (d) => rm(join(d, 'components.bin')));
    const r = await cli(['eval', m], { cwd: dir });
    expect(r.stderr.trim()).toMatch(/^latentkit: missing: weights file components\.bin is missing or unreadable$/);
  });

  it('a bundle with corrupt weights', async () => {
    const m = await brokenCopy('corrupt', async (d) => {
      const b = await readFile(join(d, 'components.bin'));
      b[100]! ^= 0x55;
      await writeFile(join(d, 'components.bin'), b);
    });
    const r = await cli(['eval', m], { cwd: dir });
    expect(r.stderr.trim()).toMatch(/^latentkit: corrupt: components\.bin is corrupt \(checksum mismatch\)$/);
  });

  it('a bundle of another format version', async () => {
    const m = await brokenCopy('future', async (d) => {
      const man = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8'));
      await writeFile(join(d, 'manifest.json'), JSON.stringify({ ...man, formatVersion: 2 }));
    });
    const r = await cli(['eval', m], { cwd: dir });
    expect(r.stderr.trim()).toMatch(/format version 2 is not supported \(this latentkit reads version 1\)/);
  });

  it('a bundle of an unknown reducer kind names it, and the package to install when the bundle records one', async () => {
    const m = await brokenCopy('alien', async (d) => {
      const man = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8'));
      await writeFile(join(d, 'manifest.json'), JSON.stringify({ ...man, kind: 'nmf', plugin: { name: 'latentkit-nmf', version: '1.2.0' } }));
    });
    const r = await cli(['eval', m], { cwd: dir });
    expect(r.stderr.trim()).toBe('latentkit: this model needs reducer "nmf", which is not loaded: install latentkit-nmf@1.2.0 and load it as a plugin (--plugin latentkit-nmf or latentkit.config.json)');
    const bare = await brokenCopy('alien-bare', async (d) => {
      const { plugin: _plugin, ...man } = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8'));
      await writeFile(join(d, 'manifest.json'), JSON.stringify({ ...man, kind: 'nmf' }));
    });
    const r2 = await cli(['eval', bare], { cwd: dir });
    expect(r2.stderr.trim()).toMatch(/^latentkit: this model needs reducer "nmf", which is not loaded \(available: .*umap/);
  });

  it('an unwritable output directory', async () => {
    await writeFile(join(dir, 'a-file'), 'x');
    const r = await cli(['fit', '--latent', '2', '--out', 'a-file/out'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^latentkit: cannot (create|write).*a-file/);
  });

  it('a failing --force run keeps the previous model intact', async () => {
    await cp(join(dir, 'model'), join(dir, 'keep'), { recursive: true });
    const before = await readFile(join(dir, 'keep', 'components.bin'));
    await mkdir(join(dir, 'bad'), { recursive: true });
    await writeFile(join(dir, 'bad', 'nan.csv'), 'a,b,c\n1,2,NaN\n');
    const r = await cli(['fit', '--data', 'csv:bad/nan.csv', '--latent', '1', '--out', 'keep', '--force'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(await readFile(join(dir, 'keep', 'components.bin'))).toEqual(before);
    expect((await readdir(dir)).filter((n) => n.startsWith('.keep'))).toEqual([]);
  });
});
