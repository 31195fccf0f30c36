// Peak resident memory of real `latentkit fit` runs, measured from outside (each fit in its own process,
// peak RSS read from /proc at exit via a tiny wrapper): PCA on Fashion-MNIST 60k, and conv-ae on MNIST.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'apps', 'cli', 'dist', 'bin.js');

function measure(args) {
  const out = mkdtempSync(join(tmpdir(), 'latentkit-rss-'));
  // Run the CLI inside a wrapper that reports this process's maxRSS when it exits.
  const wrapper = `process.on('exit', () => process.stderr.write('\\nRSS_KIB=' + process.resourceUsage().maxRSS + '\\n')); process.argv = [process.argv[0], ${JSON.stringify(bin)}, ...${JSON.stringify([...args, '--out', join(out, 'm'), '--quiet', '--json'])}]; await import(${JSON.stringify('file://' + bin)});`;
  const t0 = Date.now();
  const script = join(out, 'measure.mjs');
  writeFileSync(script, wrapper);
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  rmSync(out, { recursive: true, force: true });
  const rss = /RSS_KIB=(\d+)/.exec(r.stderr ?? '');
  let metrics = {};
  try {
    metrics = JSON.parse(r.stdout);
  } catch {
    /* reported as an error row below */
  }
  return {
    command: `latentkit ${args.join(' ')}`,
    status: r.status === 0 ? 'ok' : `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n')[0]}`,
    wallSeconds: (Date.now() - t0) / 1000,
    peakRssMiB: rss ? Math.round(Number(rss[1]) / 1024) : null,
    testMse: metrics.test?.mse ?? null,
    fitSeconds: metrics.fitSeconds ?? null,
  };
}

export default async function bench({ log }) {
  const rows = [];
  for (const args of [
    ['fit', '--data', 'fashion-mnist', '--reducer', 'pca', '--latent', '16'],
    ['fit', '--data', 'mnist', '--reducer', 'conv-ae', '--latent', '16', '--epochs', '1'],
  ]) {
    log(`peak RSS: latentkit ${args.join(' ')}`);
    rows.push(measure(args));
  }
  return { suite: 'cli-peak-rss', rows };
}
