// Hostile input to the file loaders, each run in a fresh child process so its peak RSS is its own:
// non-regular files, gzip bombs, headers that lie about sizes, CSVs wider than memory allows.
// Every case must fail (or load) quickly, in one line naming the file and the problem, under a stated RSS bound.
import { spawnSync } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { moduleUrl, runChild, type ChildResult } from '@latentkit/tooling/child';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { littleEndian, makeIdx, makeNpy } from './__fixtures__/build.js';

const NODE_ENTRY = moduleUrl(fileURLToPath(new URL('./node.ts', import.meta.url)));
const INDEX_ENTRY = moduleUrl(fileURLToPath(new URL('./index.ts', import.meta.url)));
/** A child that only imports the loaders peaks near 160 MB (the TypeScript transpiler included). */
const RSS_BOUND = 400 * 2 ** 20;
const MiB = 2 ** 20;

let dir: string;

/** loadDataSource(spec) in a child, with an optional byte limit. */
function load(spec: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ChildResult> {
  return runChild(
    `const { loadDataSource } = await import(${JSON.stringify(NODE_ENTRY)});
     const d = await loadDataSource(${JSON.stringify(spec)});
     return { rows: d.train.x.rows + d.test.x.rows, cols: d.train.x.cols };`,
    { env, timeoutMs },
  );
}

/** Several loadDataSource calls in one child (cheap refusals share a process); one result per spec. */
async function loadEach(specs: string[], timeoutMs = 30_000): Promise<{ results: ChildResult[]; child: ChildResult }> {
  const child = await runChild(
    `const { loadDataSource } = await import(${JSON.stringify(NODE_ENTRY)});
     const out = [];
     for (const spec of ${JSON.stringify(specs)}) {
       try {
         const d = await loadDataSource(spec);
         out.push({ ok: true, value: { rows: d.train.x.rows + d.test.x.rows, cols: d.train.x.cols } });
       } catch (e) {
         out.push({ ok: false, error: { name: e.name, code: e.code, message: e.message } });
       }
     }
     return out;`,
    { timeoutMs },
  );
  expect(child.timedOut, 'a loader hung').toBe(false);
  const results = ((child.value ?? []) as ChildResult[]).map((r) => ({ ...r, maxRssBytes: child.maxRssBytes, timedOut: false }));
  expect(results).toHaveLength(specs.length);
  return { results, child };
}

/** Fails unless the child refused with one line of this code naming `path` and matching `why`, within the RSS bound. */
function expectRefused(r: ChildResult, code: string, path: string, why: RegExp): void {
  expect(r.timedOut, 'the loader hung').toBe(false);
  expect(r.ok, `expected a refusal, got ${JSON.stringify(r.value)}`).toBe(false);
  expect(r.error?.name).toBe('LatentkitError');
  expect(r.error?.code).toBe(code);
  expect(r.error?.message).not.toContain('\n');
  expect(r.error?.message).toContain(path);
  expect(r.error?.message).toMatch(why);
  expect(r.maxRssBytes).toBeLessThan(RSS_BOUND);
}

/** A gzip of a valid small IDX header and data, followed by gzip members of zeros: ~2 MB that inflates to 2 GiB. */
function gzipBomb(head: Uint8Array): Buffer {
  const zeros = gzipSync(Buffer.alloc(64 * MiB), { level: 9 });
  return Buffer.concat([gzipSync(head), ...Array.from({ length: 32 }, () => zeros)]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latentkit-hostile-'));
  const smallIdx = makeIdx('uint8', [10, 28, 28], new Array(7840).fill(7));
  await writeFile(join(dir, 'bomb-images-idx3-ubyte.gz'), gzipBomb(smallIdx));
  const smallNpy = makeNpy({ descr: '<f4', shape: [10, 4], data: littleEndian('f4', new Array(40).fill(0.5)) });
  await writeFile(join(dir, 'bomb.npy.gz'), gzipBomb(smallNpy));
  await writeFile(join(dir, 'ok.npy.gz'), gzipSync(smallNpy));
  // Raw IDX files whose headers declare 8 GiB and 3 GiB, in sparse files of exactly that size.
  for (const [name, n] of [['huge-idx3-ubyte', 8], ['big-idx3-ubyte', 3]] as const) {
    const fh = await open(join(dir, name), 'w');
    await fh.write(makeIdx('uint8', [n, 1024, 1024, 1024], []));
    await fh.truncate(20 + n * 2 ** 30);
    await fh.close();
  }
  await writeFile(join(dir, 'short-idx3-ubyte'), makeIdx('uint8', [60000, 28, 28], []));
  const row = (cols: number, r: number) => Array.from({ length: cols }, (_, j) => (r * 7 + j) % 10).join(',');
  await writeFile(join(dir, 'wide20k.csv'), Array.from({ length: 10 }, (_, r) => row(20_000, r)).join('\n') + '\n');
  await writeFile(join(dir, 'wide100k.csv'), Array.from({ length: 10 }, (_, r) => row(100_000, r)).join('\n') + '\n');
  // 20 MB of one-character cells: ten million cells that the old split-everything parser kept as strings.
  await writeFile(join(dir, 'cells.csv'), Array.from({ length: 1000 }, (_, r) => row(10_000, r)).join('\n') + '\n');
  if (process.platform !== 'win32') spawnSync('mkfifo', [join(dir, 'pipe.csv')]);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('inputs must be regular files', () => {
  it.skipIf(process.platform === 'win32')('a FIFO, /dev/zero or a directory given as csv:, idx: or npy: fails at once (one child, 15 s, RSS bound 400 MB)', async () => {
    const fifo = join(dir, 'pipe.csv');
    const kinds = ['csv', 'idx', 'npy'];
    const { results } = await loadEach([...kinds.map((k) => `${k}:${fifo}`), ...kinds.map((k) => `${k}:/dev/zero`), `idx:${dir}`], 15_000);
    for (const r of results.slice(0, 3)) expectRefused(r, 'E_IO', fifo, /it is a FIFO \(named pipe\), not a regular file$/);
    for (const r of results.slice(3, 6)) expectRefused(r, 'E_IO', '/dev/zero', /it is a character device, not a regular file$/);
    expectRefused(results[6]!, 'E_IO', dir, /it is a directory$/);
  });
});

describe('sizes are checked against headers before reading', () => {
  it('a ~2 MB gzip declaring a 7,856-byte IDX but inflating to 2 GiB stops at the declared size (RSS bound 400 MB, 20 s)', async () => {
    const path = join(dir, 'bomb-images-idx3-ubyte.gz');
    const t0 = Date.now();
    expectRefused(await load(`idx:${path}`), 'E_INPUT_FORMAT', path, /gzip data inflates past the 7856 bytes its header declares/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('the same bomb as .npy.gz stops at the size the NPY header declares (RSS bound 400 MB)', async () => {
    const path = join(dir, 'bomb.npy.gz');
    expectRefused(await load(`npy:${path}`), 'E_INPUT_FORMAT', path, /gzip data inflates past the \d+ bytes its header declares/);
    const ok = await load(`npy:${join(dir, 'ok.npy.gz')}`);
    expect(ok.value).toEqual({ rows: 10, cols: 4 });
  });

  it('the browser-safe parseIdx stops the bomb too (RSS bound 400 MB)', async () => {
    const path = join(dir, 'bomb-images-idx3-ubyte.gz');
    const r = await runChild(
      `const { parseIdx } = await import(${JSON.stringify(INDEX_ENTRY)});
       const { readFileSync } = await import('node:fs');
       return parseIdx(readFileSync(${JSON.stringify(path)}), 'bomb.gz').dims;`,
    );
    expectRefused(r, 'E_INPUT_FORMAT', 'bomb.gz', /corrupt gzip data \(the header declares 7856 bytes but the gzip trailer \d+\)/);
  });

  it('raw IDX headers that disagree with the file size, or declare more than memory holds, are refused before reading (RSS bound 400 MB)', async () => {
    const short = join(dir, 'short-idx3-ubyte');
    const huge = join(dir, 'huge-idx3-ubyte');
    const { results } = await loadEach([`idx:${short}`, `idx:${huge}`]);
    expectRefused(results[0]!, 'E_INPUT_FORMAT', short, /expected 47040016 bytes for 60000×28×28 uint8 \(header 16 \+ data 47040000\), got 16$/);
    expectRefused(results[1]!, 'E_INPUT_FORMAT', huge, /IDX 8×1024×1024×1024 uint8 is too large to hold in memory \(8589934592 values\); use a smaller file$/);
  });

  it('a 3 GiB IDX (sparse file) over the memory limit is refused naming the need and the way out (RSS bound 400 MB)', async () => {
    const path = join(dir, 'big-idx3-ubyte');
    const r = await load(`idx:${path}`, { LATENTKIT_MAX_DATA_BYTES: String(2 ** 30) });
    expectRefused(r, 'E_INPUT_FORMAT', path, /IDX 3×1024×1024×1024 uint8 needs 16,106,127,380 bytes \(15\.0 GiB\) of memory, more than the limit of 1,073,741,824 bytes \(1\.0 GiB\); use fewer rows or columns, or raise the limit with LATENTKIT_MAX_DATA_BYTES$/);
  });

  it('a malformed LATENTKIT_MAX_DATA_BYTES is refused in one line', async () => {
    const r = await load(`idx:${join(dir, 'short-idx3-ubyte')}`, { LATENTKIT_MAX_DATA_BYTES: 'lots' });
    expect(r.error?.code).toBe('E_OPTION');
    expect(r.error?.message).toBe('LATENTKIT_MAX_DATA_BYTES must be a positive whole number of bytes, got "lots"');
  });
});

describe('CSV memory is planned before it is allocated', () => {
  it('10 rows × 20,000 columns (400 KB) load in bounded memory (RSS bound 400 MB)', async () => {
    const r = await load(`csv:${join(dir, 'wide20k.csv')}`);
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual({ rows: 10, cols: 20_000 });
    expect(r.maxRssBytes).toBeLessThan(RSS_BOUND);
  });

  it('10 rows × 100,000 columns load without "Invalid typed array length", and over a limit are refused naming the bytes', async () => {
    const path = join(dir, 'wide100k.csv');
    const r = await load(`csv:${path}`);
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual({ rows: 10, cols: 100_000 });
    const limited = await load(`csv:${path}`, { LATENTKIT_MAX_DATA_BYTES: '5000000' });
    expectRefused(limited, 'E_INPUT_FORMAT', path, /10 rows × 100000 columns \(the text and a float32 matrix\) needs 6,000,000 bytes \(5\.7 MiB\) of memory, more than the limit of 5,000,000 bytes .*LATENTKIT_MAX_DATA_BYTES$/);
  });

  it('20 MB of ten million one-digit cells load in bounded memory, not one string per cell (RSS bound 400 MB)', async () => {
    const r = await load(`csv:${join(dir, 'cells.csv')}`);
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual({ rows: 1000, cols: 10_000 });
    expect(r.maxRssBytes).toBeLessThan(RSS_BOUND);
  });
});
