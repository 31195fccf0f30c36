// PyTorch on the same machine in the same run, for the dense-ae and conv-ae train benches: Debian's python3-torch
// (never installed by the bench, never needed by tests) runs torch-train.py with the machine's threads and
// OMP_WAIT_POLICY=PASSIVE, as the reference figures were measured. Where torch is missing the row says
// why and the benches compare against the reference figures instead.
import { execFile, execFileSync } from 'node:child_process';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'torch-train.py');

/** The figures for PyTorch 1.13 on 2 quiet cores (8k MNIST, batch 128): used where torch cannot run. */
export const TORCH_REFERENCE = { dense: 20_000, 'conv-lecture': 360 };

function torchMissing() {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${PYTHON} cannot import torch (apt-get install python3-torch)`;
  }
}

function runOnce(which, batches, threads) {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, which, String(batches), String(threads)], { env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' }, timeout: 600_000 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout.trim().split('\n').pop())),
    );
  });
}

/**
 * PyTorch's samples/s on `which` ('dense' | 'conv-lecture'): the median of `reps` runs of `batches` steps each on
 * the machine's threads. Returns a bench row; `samplesPerSecond` is absent (and `skipped` says why) without torch.
 */
export async function torchPeer({ which, batches, reps = 3, name, log = () => {} }) {
  const threads = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const missing = torchMissing();
  if (missing) {
    log(`${name}: skipped, ${missing}; comparing against the reference ${TORCH_REFERENCE[which]} samples/s`);
    return { name, peer: 'pytorch', skipped: missing, referenceSamplesPerSecond: TORCH_REFERENCE[which] };
  }
  const runs = [];
  for (let i = 0; i < reps; i++) runs.push(await runOnce(which, batches, threads));
  const samples = runs.map((r) => Math.round(r.samplesPerSecond)).sort((a, b) => a - b);
  const samplesPerSecond = samples[Math.floor(samples.length / 2)];
  log(`${name}: PyTorch ${runs[0].version} on ${runs[0].threads} threads ${samplesPerSecond} samples/s (runs ${samples.join(', ')})`);
  return { name, peer: 'pytorch', version: runs[0].version, threads: runs[0].threads, batchSize: 128, batches, samplesPerSecond, samples };
}

/** PyTorch's samples/s to compare with: the same-run median, else the reference figure. */
export function torchFigure(peer, which) {
  return peer.samplesPerSecond ?? TORCH_REFERENCE[which];
}

/** Adds `vsPyTorch` (samples/s ÷ PyTorch's, same run where torch ran) to every row with samples/s. */
export function withTorchRatio(rows, peer, which) {
  const torch = torchFigure(peer, which);
  const source = peer.samplesPerSecond === undefined ? 'reference' : 'same-run';
  return rows.map((row) => (typeof row.samplesPerSecond === 'number' && row.backend === 'wasm' ? { ...row, vsPyTorch: Number((row.samplesPerSecond / torch).toFixed(2)), vsPyTorchSource: source } : row));
}
