// Runs a snippet of test code in a fresh Node process that can import latentkit's TypeScript sources
// (resolved through the packages' "source" export condition), and reports what it returned or threw
// together with the child's peak RSS: memory bounds are measured on a process nobody else shares.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REGISTER = fileURLToPath(new URL('./ts-register.mjs', import.meta.url));

/** file: URL of a path, for `await import(...)` inside the snippet. */
export function moduleUrl(path) {
  return pathToFileURL(path).href;
}

/**
 * Runs `body` (the body of an async function; use `await import(url)`) in a child Node. Resolves with
 * { ok, value, error: { name, code, message }, maxRssBytes, exitCode, signal, timedOut, stderr }.
 * A child still running after timeoutMs is killed and reported with timedOut: true.
 */
export async function runChild(body, { timeoutMs = 60_000, env = {}, execArgv = [] } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'latentkit-child-'));
  const script = join(dir, 'child.mjs');
  await writeFile(
    script,
    `const report = (r) => process.stdout.write('\\n' + JSON.stringify({ ...r, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\\n');
try {
  const value = await (async () => {\n${body}\n})();
  report({ ok: true, value: value === undefined ? null : value });
} catch (e) {
  report({ ok: false, error: { name: e?.name, code: e?.code, message: String(e?.message ?? e) } });
}
`,
  );
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', REGISTER, ...execArgv, script], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        const last = stdout.trim().split('\n').at(-1) ?? '';
        let parsed = {};
        try {
          parsed = JSON.parse(last);
        } catch {
          parsed = { ok: false, error: { name: 'NoReport', message: `child wrote no report (exit ${exitCode}, signal ${signal}): ${stderr.trim().slice(-500)}` } };
        }
        resolve({ ...parsed, exitCode, signal, timedOut, stderr });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
