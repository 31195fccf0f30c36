/**
 * The bad-input corpus: each case ends with a non-zero exit code and one line on stderr naming the thing and
 * the problem (no stack trace), and leaves nothing behind (no output, no staging folder). Cases by class:
 *
 * Malformed data files (12): truncated IDX, gzip-corrupt IDX, wrong magic, dims disagree with length, NPY
 *   unsupported dtype, NPY Fortran order, CSV ragged rows, CSV non-numbers, CSV NaN, CSV Inf, empty dataset,
 *   missing file; plus --debug adding the stack trace (1).
 * Models and output folders (7): images of another size, missing weights, corrupt weights, another format
 *   version, unknown reducer kind, unwritable output folder, a failing --force run keeps the old model.
 * Validation before work (43; each refused before any data is read — the data given is a missing file or the
 *   model folder does not exist, so reading either first would give another message — and with no progress
 *   line): fit --seed abc / -1 / 1.5 / 2^32, --opt constructor / __proto__ / prototype / =1 / no "=" / "a b",
 *   --latent 0 / abc / 1.5, --epochs 0 / abc, --batch-size -5, --learning-rate 0, --opt retries=-1, unknown
 *   --data form, unknown --reducer, bad enum option, option the reducer lacks; compare --seed abc,
 *   --reducers pca,pca, empty --reducers, --latent -3; demo --held-out 10 / x, --train-size 5, --seed abc,
 *   unknown reducer in --reducers, --opt no reducer has; eval --seed abc, eval --data bogus; reconstruct --n 0,
 *   --png into a missing folder; interpolate --steps 1, --from -1; sample --n 0, --density foo; plot --what foo;
 *   score --out into a missing folder; view --port 70000.
 * Never deleting what is not ours (6): --force on the folder holding the input CSV (fit, compare), on a model
 *   folder holding the input under a bundle file name, on the current folder, on a parent of it, on a folder
 *   with a foreign file.
 * Messages that name the thing (16): plugin fit() returning a non-reducer / null / throwing, a v1 plugin's create()
 *   returning a non-reducer / throwing (no staging folder left either), config file holding
 *   null / 42 / [] / broken JSON, metrics.json malformed / with a bad "data" field (eval does not fall back to
 *   mnist), plot on a missing folder, plot --what loss without history, NaN weights naming the model file, view
 *   of a missing folder, an existing --out without --force refused before the data is read.
 * Litter (3): a reducer refusing the data inside the pipeline (conv-ae on CSV) leaves no staging folder, the
 *   staging folder of a dead process is removed by the next run, `view` of a model folder stopped by SIGTERM
 *   removes its temporary run.
 */
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { mkdir, readFile, readdir, rm, writeFile, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '@latentkit/core';
import { BIN, cli, tempDir, type CliResult } from './helpers.js';

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

/** Every file and folder under `dir` (relative paths, sorted): compared before and after a refused command. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

/** A refusal: non-zero exit, exactly one stderr line (so no progress line: no data read, nothing fitted), matching. */
function expectOneLine(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.code, r.stderr).not.toBe(130);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^latentkit: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stdout).toBe('');
}

/** A 4-feature CSV (7 rows) that every built-in reducer except conv-ae fits in a moment. */
const SMALL_CSV = 'a,b,c,d\n1,2,3,4\n4,5,6,7\n7,8,9,1\n1,1,1,2\n2,2,2,3\n3,3,3,3\n5,1,2,3\n';

describe('every flag is checked before any data is read or any model fitted', () => {
  let dir: string;
  // A data file that does not exist and a model folder that does not exist: a command that read either
  // before checking its flags would fail with another message.
  const absent = ['--data', 'csv:absent.csv'];
  const fit = (...args: string[]) => ['fit', ...absent, '--latent', '2', '--out', 'out', ...args];
  const compare = (...args: string[]) => ['compare', ...absent, '--latent', '2', '--out', 'out', ...args];

  beforeAll(async () => {
    dir = await tempDir();
  });

  const cases: [string, string[], RegExp][] = [
    ['fit --seed abc', fit('--seed', 'abc'), /^latentkit: --seed expects an integer from 0 to 4294967295, got "abc"$/],
    ['fit --seed -1', fit('--seed', '-1'), /--seed expects an integer from 0 to 4294967295, got "-1"/],
    ['fit --seed 1.5', fit('--seed', '1.5'), /--seed expects an integer .*"1\.5"/],
    ['fit --seed 2^32', fit('--seed', '4294967296'), /--seed expects an integer .*"4294967296"/],
    ['fit --opt constructor=1', fit('--opt', 'constructor=1'), /--opt constructor: "constructor" is not an option name \(it is reserved\)/],
    ['fit --opt __proto__=1', fit('--opt', '__proto__=1'), /--opt __proto__: "__proto__" is not an option name/],
    ['fit --opt prototype=1', fit('--opt', 'prototype=1'), /--opt prototype: "prototype" is not an option name/],
    ['fit --opt =1', fit('--opt', '=1'), /--opt expects key=value, got "=1"/],
    ['fit --opt without =', fit('--opt', 'solver'), /--opt expects key=value, got "solver"/],
    ['fit --opt with a space in the name', fit('--opt', 'a b=1'), /--opt "a b": option names are letters, digits and _/],
    ['fit --latent 0', fit('--latent', '0'), /--latent expects a positive integer.*"0"/],
    ['fit --latent abc', fit('--latent', 'abc'), /--latent expects a positive integer.*"abc"/],
    ['fit --latent 1.5', fit('--latent', '1.5'), /--latent expects a positive integer.*"1\.5"/],
    ['fit --epochs 0', fit('--reducer', 'dense-ae', '--epochs', '0'), /reducer "dense-ae" options: epochs: /],
    ['fit --epochs abc', fit('--reducer', 'dense-ae', '--epochs', 'abc'), /reducer "dense-ae" options: epochs: /],
    ['fit --batch-size -5', fit('--reducer', 'dense-ae', '--batch-size', '-5'), /reducer "dense-ae" options: batchSize: /],
    ['fit --learning-rate 0', fit('--reducer', 'dense-ae', '--learning-rate', '0'), /reducer "dense-ae" options: learningRate: /],
    ['fit --opt retries=-1', fit('--reducer', 'dense-ae', '--opt', 'retries=-1'), /reducer "dense-ae" options: retries: /],
    ['fit --data of an unknown form', ['fit', '--data', 'csvx:absent.csv', '--out', 'out'], /--data: unknown data source "csvx:absent\.csv" \(expected mnist, fashion-mnist, idx:PATH, npy:PATH, csv:PATH, arrow:PATH or parquet:PATH\)/],
    ['fit --reducer nope', fit('--reducer', 'nope'), /"nope"/],
    ['fit with a bad choice', fit('--opt', 'solver=bogus'), /reducer "pca" options: solver: /],
    ['fit with an option the reducer lacks', fit('--epochs', '5'), /reducer "pca" has no option "epochs"/],
    ['compare --seed abc', compare('--seed', 'abc'), /--seed expects an integer .*"abc"/],
    ['compare --reducers pca,pca', compare('--reducers', 'pca,pca'), /^latentkit: --reducers lists reducer "pca" twice \(each reducer may appear once\)$/],
    ['compare --reducers ,', compare('--reducers', ','), /--reducers expects a comma-separated list/],
    ['compare --latent -3', compare('--latent', '-3'), /--latent expects a positive integer.*"-3"/],
    ['demo --held-out 10', ['demo', '--held-out', '10', '--out', 'out'], /^latentkit: --held-out expects one of mnist's classes 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, got "10"$/],
    ['demo --held-out x', ['demo', '--held-out', 'x', '--out', 'out'], /--held-out expects one of mnist's classes .*"x"/],
    ['demo --train-size 5', ['demo', '--train-size', '5', '--out', 'out'], /--train-size expects an integer ≥ 10, got "5"/],
    ['demo --test-size 5', ['demo', '--test-size', '5', '--out', 'out'], /--test-size expects an integer ≥ 20, got "5"/],
    ['demo --seed abc', ['demo', '--seed', 'abc', '--out', 'out'], /--seed expects an integer .*"abc"/],
    ['demo --reducers with an unknown reducer', ['demo', '--reducers', 'pca,nope', '--out', 'out'], /"nope"/],
    ['demo --opt no reducer has', ['demo', '--reducers', 'pca', '--opt', 'nosuch=1', '--out', 'out'], /no reducer of pca has an option "nosuch"/],
    ['eval --seed abc', ['eval', 'no-model', '--seed', 'abc'], /--seed expects an integer .*"abc"/],
    ['eval --data bogus', ['eval', 'no-model', '--data', 'bogus'], /--data: unknown data source "bogus"/],
    ['reconstruct --n 0', ['reconstruct', 'no-model', '--n', '0', '--png', 'r.png'], /--n expects an integer in \[1, 1000\], got "0"/],
    ['reconstruct --png into a missing folder', ['reconstruct', 'no-model', '--png', 'no-dir/r.png'], /--png no-dir\/r\.png: the folder .*no-dir does not exist/],
    ['interpolate --steps 1', ['interpolate', 'no-model', '--from', '0', '--to', '1', '--steps', '1', '--png', 'i.png'], /--steps expects an integer from 2 to 100, got "1"/],
    ['interpolate --from -1', ['interpolate', 'no-model', '--from', '-1', '--to', '1', '--png', 'i.png'], /--from expects an integer ≥ 0, got "-1"/],
    ['sample --n 0', ['sample', 'no-model', '--n', '0', '--png', 's.png'], /--n expects an integer from 1 to 256, got "0"/],
    ['sample --density foo', ['sample', 'no-model', '--density', 'foo', '--png', 's.png'], /--density expects gaussian or gmm, got "foo"/],
    ['plot --what foo', ['plot', 'no-model', '--what', 'foo', '--svg', 'p.svg'], /--what expects latent, variance or loss, got "foo"/],
    ['score --out into a missing folder', ['score', 'no-model', '--out', 'no-dir/s.csv'], /--out no-dir\/s\.csv: the folder .*no-dir does not exist/],
    ['view --port 70000', ['view', 'no-model', '--port', '70000'], /--port must be an integer from 0 to 65535/],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const before = await tree(dir);
      expectOneLine(await cli(args, { cwd: dir }), pattern);
      expect(await tree(dir)).toEqual(before);
    });
  }
});

describe('--force never replaces what latentkit did not write', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    await mkdir(join(dir, 'P'));
    await writeFile(join(dir, 'P', 'data.csv'), SMALL_CSV);
    await writeFile(join(dir, 'small.csv'), SMALL_CSV);
    // A model folder whose latent.json (a name model folders may hold) is the input data.
    expect((await cli(['fit', '--data', 'csv:small.csv', '--latent', '2', '--out', 'M', '--quiet'], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'M', 'latent.json'), SMALL_CSV);
    await mkdir(join(dir, 'foreign'));
    await writeFile(join(dir, 'foreign', 'notes.txt'), 'mine');
  }, 60_000);

  const cases: [string, string[], string, RegExp][] = [
    ['fit --out the folder holding the input', ['fit', '--data', 'csv:P/data.csv', '--out', 'P', '--force'], '.', /refusing to replace .*\/P \(--force\): it holds the input data .*P\/data\.csv; nothing was changed/],
    ['compare --out the folder holding the input', ['compare', '--data', 'csv:P/data.csv', '--reducers', 'pca', '--out', 'P', '--force'], '.', /refusing to replace .*\/P \(--force\): it holds the input data/],
    ['fit --out a model folder holding the input under a bundle file name', ['fit', '--data', 'csv:M/latent.json', '--out', 'M', '--force'], '.', /refusing to replace .*\/M \(--force\): it holds the input data .*M\/latent\.json/],
    ['fit --out the current folder', ['fit', '--data', 'csv:data.csv', '--out', '.', '--force'], 'P', /refusing to replace .* \(--force\): it is the current folder/],
    ['fit --out a parent of the current folder', ['fit', '--data', 'csv:data.csv', '--out', '..', '--force'], 'P', /refusing to replace .* \(--force\): it contains the current folder/],
    ['fit --out a folder with a foreign file', ['fit', '--data', 'csv:small.csv', '--out', 'foreign', '--force'], '.', /refusing to replace .*foreign \(--force\): .*notes\.txt/],
  ];
  for (const [name, args, cwd, pattern] of cases) {
    it(name, async () => {
      const before = await tree(dir);
      const inputs = await Promise.all(['P/data.csv', 'M/latent.json', 'foreign/notes.txt'].map((f) => readFile(join(dir, f), 'utf8')));
      expectOneLine(await cli([...args, '--latent', '2'], { cwd: join(dir, cwd) }), pattern);
      expect(await tree(dir)).toEqual(before);
      expect(await Promise.all(['P/data.csv', 'M/latent.json', 'foreign/notes.txt'].map((f) => readFile(join(dir, f), 'utf8')))).toEqual(inputs);
    });
  }
});

/** A spec-v2 plugin module with no imports whose fit() body is `fitBody`. */
function pluginSource(kind: string, fitBody: string): string {
  return `
const options = { '~standard': { version: 1, vendor: 'hand', validate: (v) => ({ value: v ?? {} }), jsonSchema: { input: () => ({ type: 'object', properties: {}, additionalProperties: false }) } } };
export default { specVersion: 2, kind: '${kind}', description: 'a faulty test plugin', capabilities: ['encode', 'decode'], options,
  async fit() { ${fitBody} }, async load() { throw new Error('not used'); } };
`;
}

/** A spec-v1 plugin module (create() + fit by mutation) whose create() body is `createBody`. */
function v1PluginSource(kind: string, createBody: string): string {
  return `export default { specVersion: 1, kind: '${kind}', description: 'a faulty v1 test plugin', options: {}, create() { ${createBody} }, async load() { throw new Error('not used'); } };\n`;
}

describe('messages that name the thing', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'small.csv'), SMALL_CSV);
    await writeFile(join(dir, 'not-a-reducer.mjs'), pluginSource('not-a-reducer', "return { model: { kind: 'not-a-reducer' }, result: { seconds: 0 } };"));
    await writeFile(join(dir, 'null-fit.mjs'), pluginSource('null-fit', 'return null;'));
    await writeFile(join(dir, 'throwing.mjs'), pluginSource('throwing', "throw new Error('the plugin exploded');"));
    await writeFile(join(dir, 'v1-empty.mjs'), v1PluginSource('v1-empty', 'return {};'));
    await writeFile(join(dir, 'v1-throws.mjs'), v1PluginSource('v1-throws', "throw new Error('create failed');"));
    expect((await cli(['fit', '--data', 'csv:small.csv', '--latent', '2', '--out', 'model', '--quiet'], { cwd: dir })).code).toBe(0);
    for (const [name, text] of [['null', 'null'], ['42', '42'], ['list', '[]'], ['broken', '{"plugins": [']]) {
      await mkdir(join(dir, `config-${name}`));
      await writeFile(join(dir, `config-${name}`, 'latentkit.config.json'), text);
    }
  }, 60_000);

  const withPlugin = (kind: string) => ['fit', '--plugin', `./${kind}.mjs`, '--reducer', kind, '--data', 'csv:small.csv', '--latent', '2', '--out', 'out'];
  const cases: [string, () => Promise<string[]> | string[], RegExp, string?][] = [
    ['plugin fit() returning a non-reducer', () => withPlugin('not-a-reducer'), /^latentkit: plugin "not-a-reducer": fit\(\) returned an object without save\(\)$/],
    ['plugin fit() returning null', () => withPlugin('null-fit'), /^latentkit: plugin "null-fit": fit\(\) returned null, not \{ model, result \}$/],
    ['plugin fit() throwing', () => withPlugin('throwing'), /^latentkit: reducer "throwing" failed to fit: the plugin exploded$/],
    ['v1 plugin create() returning a non-reducer', () => withPlugin('v1-empty'), /^latentkit: (reducer|plugin) "v1-empty"/],
    ['v1 plugin create() throwing', () => withPlugin('v1-throws'), /^latentkit: reducer "v1-throws" failed to fit: create failed$/],
    ['config file holding null', () => ['list'], /config-null\/latentkit\.config\.json must hold a JSON object .*got null$/, 'config-null'],
    ['config file holding 42', () => ['list'], /config-42\/latentkit\.config\.json must hold a JSON object .*got a number$/, 'config-42'],
    ['config file holding []', () => ['list'], /config-list\/latentkit\.config\.json must hold a JSON object .*got a list$/, 'config-list'],
    ['config file with broken JSON', () => ['list'], /config-broken\/latentkit\.config\.json is not valid JSON/, 'config-broken'],
    [
      'malformed metrics.json: eval names it and does not fall back to mnist',
      async () => {
        await cp(join(dir, 'model'), join(dir, 'bad-metrics'), { recursive: true });
        await writeFile(join(dir, 'bad-metrics', 'metrics.json'), '{"data": "csv:small.csv", ');
        return ['eval', 'bad-metrics'];
      },
      /^latentkit: bad-metrics\/metrics\.json is not valid JSON \(.*\); refit the model, or give --data and --seed$/,
    ],
    [
      'metrics.json with a bad "data" field',
      async () => {
        await cp(join(dir, 'model'), join(dir, 'bad-data-field'), { recursive: true });
        await writeFile(join(dir, 'bad-data-field', 'metrics.json'), JSON.stringify({ data: 42, seed: 0 }));
        return ['eval', 'bad-data-field'];
      },
      /^latentkit: bad-data-field\/metrics\.json has "data" 42, not a data source such as "mnist"/,
    ],
    ['plot on a missing folder', () => ['plot', 'no-such-run', '--what', 'loss', '--svg', 'p.svg'], /^latentkit: model folder no-such-run does not exist$/],
    ['plot --what loss of a model without history', () => ['plot', 'model', '--what', 'loss', '--svg', 'p.svg'], /^latentkit: model\/metrics\.json has no training history/],
    [
      'NaN weights: the message names the model file',
      async () => {
        await cp(join(dir, 'model'), join(dir, 'nan-weights'), { recursive: true });
        const manifestPath = join(dir, 'nan-weights', 'manifest.json');
        const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
        const values = new Float32Array((await readFile(join(dir, 'nan-weights', 'components.bin'))).buffer.slice(0));
        values[3] = NaN;
        const bytes = new Uint8Array(values.buffer);
        await writeFile(join(dir, 'nan-weights', 'components.bin'), bytes);
        // The checksum matches: the file was written that way, not damaged on disk.
        manifest.blobs.components.crc32 = crc32(bytes);
        await writeFile(manifestPath, JSON.stringify(manifest));
        return ['eval', 'nan-weights', '--data', 'csv:small.csv'];
      },
      /^latentkit: nan-weights\/components\.bin holds NaN at element 3 of weights "components": the model file is damaged/,
    ],
    ['view of a missing folder', () => ['view', 'no-such-run'], /^latentkit: folder .*no-such-run does not exist$/],
    [
      'an existing --out without --force is refused before the data is read',
      async () => {
        await mkdir(join(dir, 'taken'), { recursive: true });
        return ['fit', '--data', 'csv:absent.csv', '--latent', '2', '--out', 'taken'];
      },
      /^latentkit: .*taken already exists \(use --force to replace it\)$/,
    ],
  ];
  for (const [name, args, pattern, cwd] of cases) {
    it(name, async () => {
      const argv = await args();
      const before = await tree(dir);
      expectOneLine(await cli(argv, { cwd: cwd ? join(dir, cwd) : dir }), pattern);
      // Nothing written: no output folder, no staging folder.
      expect(await tree(dir)).toEqual(before);
    });
  }
});

describe('litter', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'small.csv'), SMALL_CSV);
  });

  it('a reducer refusing the data once it is read (conv-ae needs images) leaves no staging folder', async () => {
    const before = await tree(dir);
    expectOneLine(await cli(['fit', '--data', 'csv:small.csv', '--reducer', 'conv-ae', '--latent', '2', '--out', 'conv'], { cwd: dir }), /reducer "conv-ae" needs image data, but csv:small\.csv has no image shape/);
    expect(await tree(dir)).toEqual(before);
  });

  it('the staging folder a killed run left behind is removed by the next run', async () => {
    // No process has pid 2^31 − 2 on Linux (pid_max is at most 2^22).
    const stale = join(dir, '.m.staging-2147483646-abc123');
    await mkdir(stale);
    await writeFile(join(stale, 'manifest.json'), '{}');
    const r = await cli(['fit', '--data', 'csv:small.csv', '--latent', '2', '--out', 'm', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(dir)).filter((n) => n.startsWith('.m.'))).toEqual([]);
  });

  it('view of a model folder stopped by SIGTERM removes its temporary run', async () => {
    const tmp = await tempDir();
    if (!(await readdir(dir)).includes('m')) expect((await cli(['fit', '--data', 'csv:small.csv', '--latent', '2', '--out', 'm', '--quiet'], { cwd: dir })).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'view', 'm', '--json'], { cwd: dir, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
    await new Promise<void>((ok, fail) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('"url"')) ok();
      });
      child.on('close', () => fail(new Error(`view exited before serving: ${stderr}`)));
    });
    // While it serves, the temporary run exists…
    expect((await readdir(tmp)).filter((n) => n.startsWith('latentkit-view-'))).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    // …and SIGTERM removes it, like Ctrl-C.
    expect(await readdir(tmp)).toEqual([]);
    expect(stderr).toMatch(/terminated, stopping cleanly/);
  }, 60_000);
});
