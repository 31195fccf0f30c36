// Litter: staging folders of dead processes are removed on the next run, and a failed run leaves none.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleUrl, runChild } from '@latentkit/tooling/child';
import { describe, expect, it } from 'vitest';
import { processAlive, stageDir } from './index.js';

const NODE_FS = JSON.stringify(moduleUrl(fileURLToPath(new URL('./index.ts', import.meta.url))));

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  expect(processAlive(r.pid!)).toBe(false);
  return r.pid!;
}

describe('staging litter', () => {
  it('removes .OUT.staging-PID-* and .OUT.old-PID-* folders of dead processes beside the output, and nothing else', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lk-litter-'));
    const dead = deadPid();
    const stale = [`.out.staging-${dead}-abc123`, `.out.old-${dead}-def456`];
    const kept = [`.out.staging-${process.pid}-live01`, `.other.staging-${dead}-zzz999`, `.out.staging-${dead}-file01`, 'out.staging-1-x'];
    for (const name of [...stale, ...kept.slice(0, 2)]) {
      await mkdir(join(root, name));
      await writeFile(join(root, name, 'half.bin'), 'x');
    }
    await writeFile(join(root, kept[2]!), 'a file, not a staging folder');
    await mkdir(join(root, kept[3]!));
    const staged = await stageDir(join(root, 'out'));
    await staged.abort();
    expect((await readdir(root)).sort()).toEqual([...kept].sort());
  });

  it('a run killed with SIGKILL leaves its staging folder; the next run beside it removes it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lk-litter-'));
    const target = join(root, 'out');
    const r = await runChild(`const { stageDir } = await import(${NODE_FS});
      const s = await stageDir(${JSON.stringify(target)});
      process.kill(process.pid, 'SIGKILL');`);
    expect(r.signal).toBe('SIGKILL');
    const left = await readdir(root);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.out\.staging-\d+-[a-z0-9]+$/);
    const staged = await stageDir(target);
    await staged.abort();
    expect(await readdir(root)).toEqual([]);
  });

  it('a run that fails after staging (never committing or aborting) leaves no staging folder when it exits', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lk-litter-'));
    // As when a reducer refuses an option after the output was staged: the error ends the process.
    const r = await runChild(`const { stageDir } = await import(${NODE_FS});
      const s = await stageDir(${JSON.stringify(join(root, 'out'))});
      await (await import('node:fs/promises')).writeFile(s.path + '/half.bin', 'x');
      process.exitCode = 1;
      throw Object.assign(new Error('option "epochs" must be a positive integer'), { name: 'LatentkitError', code: 'E_OPTION' });`);
    expect(r.error?.message).toBe('option "epochs" must be a positive integer');
    expect(r.exitCode).toBe(1);
    expect(await readdir(root)).toEqual([]);
  });
});
