import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cli, tempDir } from './helpers.js';

/** Starts `latentkit view` and resolves with the URL it prints (first stdout line with --json). */
function startView(args: string[], cwd: string) {
  const child = spawn(process.execPath, [BIN, 'view', ...args, '--json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number>((ok) => child.on('close', (code) => ok(code ?? -1)));
  const url = new Promise<string>((ok, fail) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /"url":\s*"([^"]+)"/.exec(stdout);
      if (m) ok(m[1]!);
    });
    child.on('close', () => fail(new Error(`view exited before printing a URL: ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

describe('latentkit view', () => {
  it('serves a single fitted model as a run on 127.0.0.1 and stops cleanly on Ctrl-C', async () => {
    const dir = await tempDir();
    expect((await cli(['fit', '--reducer', 'pca', '--latent', '4', '--out', 'm'], { cwd: dir })).code).toBe(0);
    const view = startView(['m'], dir);
    const url = await view.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const run = await (await fetch(new URL('run/run.json', url))).json();
    expect(run.models).toHaveLength(1);
    expect(run.models[0].kind).toBe('pca');
    // Run format v2: the viewer decides by the model's capabilities and names its package.
    expect(run.models[0].capabilities).toEqual(['encode', 'decode']);
    expect(run.models[0].plugin.name).toBe('@latentkit/pca');
    const codes = await (await fetch(new URL(`run/${run.models[0].dir}/codes.bin`, url))).arrayBuffer();
    expect(codes.byteLength).toBe(run.data.n * 4 * 4);
    expect((await fetch(new URL('run/m/manifest.json', url), { method: 'POST' })).status).toBe(405);
    view.child.kill('SIGINT');
    expect(await view.exited).toBe(0);
  });

  it('refuses a folder that is neither a run nor a model', async () => {
    const dir = await tempDir();
    const r = await cli(['view', '.'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^latentkit: \. is neither a run folder \(run\.json\) nor a model folder \(manifest\.json\)$/);
  });
});
