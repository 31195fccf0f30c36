// The browser finder on fake PATHs and a fake apt-get: search order, the one-line failure, and one install
// shared by parallel test processes.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chromiumPath, findChromium, installPlan } from '../browser/find-chromium.mjs';

const FINDER = pathToFileURL(fileURLToPath(new URL('../browser/find-chromium.mjs', import.meta.url))).href;

async function fakeExe(path: string, body = 'exit 0', mode = 0o755): Promise<string> {
  await writeFile(path, `#!/bin/sh\nPATH=/usr/bin:/bin\n${body}\n`);
  await chmod(path, mode);
  return path;
}

/** A scratch folder with bin dirs and an empty playwright cache, and an env that sees only them. */
async function sandbox() {
  const root = await mkdtemp(join(tmpdir(), 'lk-chromium-'));
  for (const d of ['bin1', 'bin2', 'pw', 'locks']) await mkdir(join(root, d));
  const env = { PATH: `${join(root, 'bin1')}:${join(root, 'bin2')}`, PLAYWRIGHT_BROWSERS_PATH: join(root, 'pw'), HOME: root };
  return { root, env };
}

describe('findChromium', () => {
  it('searches LATENTKIT_CHROMIUM, then chromium, chromium-browser, google-chrome on PATH, then fixed paths, then playwright', async () => {
    const { root, env } = await sandbox();
    const none = { env, fixedPaths: [] as string[] };
    expect(findChromium(none)).toBeUndefined();
    const pw = join(root, 'pw', 'chromium-1200', 'chrome-linux64');
    await mkdir(pw, { recursive: true });
    await mkdir(join(root, 'pw', 'chromium-1100', 'chrome-linux'), { recursive: true });
    await fakeExe(join(root, 'pw', 'chromium-1100', 'chrome-linux', 'chrome'));
    await fakeExe(join(pw, 'chrome'));
    expect(findChromium(none)).toBe(join(pw, 'chrome')); // newest playwright build
    const fixed = await fakeExe(join(root, 'fixed-chromium'));
    expect(findChromium({ env, fixedPaths: [fixed] })).toBe(fixed);
    await fakeExe(join(root, 'bin1', 'google-chrome'));
    expect(findChromium(none)).toBe(join(root, 'bin1', 'google-chrome'));
    await fakeExe(join(root, 'bin2', 'chromium-browser'), 'exit 0', 0o644); // not executable: skipped
    expect(findChromium(none)).toBe(join(root, 'bin1', 'google-chrome'));
    await fakeExe(join(root, 'bin2', 'chromium')); // preferred by name over google-chrome earlier on PATH
    expect(findChromium(none)).toBe(join(root, 'bin2', 'chromium'));
    const chosen = await fakeExe(join(root, 'my-chrome'));
    expect(findChromium({ env: { ...env, LATENTKIT_CHROMIUM: chosen }, fixedPaths: [] })).toBe(chosen);
    expect(() => findChromium({ env: { ...env, LATENTKIT_CHROMIUM: join(root, 'nope') } })).toThrow(/^LATENTKIT_CHROMIUM=.*nope is not an executable file; point it at a Chrome or Chromium binary or unset it$/);
  });
});

describe('installPlan', () => {
  it('installs only as root on Debian with apt-get, with the commands the README set-up expects', () => {
    expect(installPlan({ isDebian: false, isRoot: true, aptGet: '/usr/bin/apt-get' }).reason).toBe('this is not a Debian machine with apt-get');
    expect(installPlan({ isDebian: true, isRoot: true, aptGet: undefined as unknown as string, env: { PATH: '' } }).reason).toBe('this is not a Debian machine with apt-get');
    expect(installPlan({ isDebian: true, isRoot: false, aptGet: '/usr/bin/apt-get' }).reason).toBe('installing needs root');
    expect(installPlan({ isDebian: true, isRoot: true, aptGet: '/usr/bin/apt-get' }).steps).toEqual([
      ['/usr/bin/apt-get', ['update', '-qq']],
      ['/usr/bin/apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium']],
    ]);
  });
});

describe('chromiumPath', () => {
  it('where it cannot install, fails with one line naming the package, and does not retry within the run', async () => {
    const { root, env } = await sandbox();
    const aptGet = await fakeExe(join(root, 'bin1', 'apt-get'), `echo "$*" >> ${join(root, 'apt.log')}`);
    const runEnv = { ...env, LATENTKIT_TEST_RUN: `t${process.pid}-${Date.now()}` };
    const options = { env: runEnv, fixedPaths: [], lockDir: join(root, 'locks') };
    const first = await chromiumPath({ ...options, plan: { isRoot: false, isDebian: true, aptGet } }).catch((e: Error) => e);
    expect((first as Error).message).toBe(
      "Chromium not found for the browser tests and cannot be installed here (installing needs root): install Debian's chromium package (apt-get install chromium) or set LATENTKIT_CHROMIUM to a Chrome or Chromium executable",
    );
    // Later packages of the same run get the same line at once, even where apt-get would be allowed.
    const second = await chromiumPath({ ...options, plan: { isRoot: true, isDebian: true, aptGet } }).catch((e: Error) => e);
    expect((second as Error).message).toBe((first as Error).message);
    await expect(readFile(join(root, 'apt.log'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('a failing apt-get is reported in one line with its log', async () => {
    const { root, env } = await sandbox();
    const aptGet = await fakeExe(join(root, 'bin1', 'apt-get'), 'echo "E: Unable to locate package chromium" >&2; exit 100');
    const err = await chromiumPath({ env, fixedPaths: [], lockDir: join(root, 'locks'), plan: { isRoot: true, isDebian: true, aptGet } }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^Chromium not found for the browser tests and `.*apt-get update -qq` failed \(see .*latentkit-chromium-install\.log\): install Debian's chromium package \(apt-get install chromium\)/);
    expect(await readFile(join(root, 'locks', 'latentkit-chromium-install.log'), 'utf8')).toContain('Unable to locate package chromium');
  });

  it('two test processes at once: apt-get runs once, both get the installed browser', async () => {
    const { root, env } = await sandbox();
    const target = join(root, 'bin2', 'chromium');
    const aptGet = await fakeExe(
      join(root, 'bin1', 'apt-get'),
      `echo "$*" >> ${join(root, 'apt.log')}\nif [ "$1" = install ]; then sleep 1; printf '#!/bin/sh\\n' > ${target}; chmod 755 ${target}; fi`,
    );
    const options = JSON.stringify({ env, fixedPaths: [], lockDir: join(root, 'locks'), plan: { isRoot: true, isDebian: true, aptGet } });
    const child = () =>
      promisify(execFile)(process.execPath, ['--input-type=module', '-e', `const { chromiumPath } = await import(${JSON.stringify(FINDER)}); console.log(await chromiumPath(${options}));`]);
    const [a, b] = await Promise.all([child(), child()]);
    expect([a.stdout.trim(), b.stdout.trim()]).toEqual([target, target]);
    expect((await readFile(join(root, 'apt.log'), 'utf8')).trim().split('\n')).toEqual(['update -qq', 'install -y -qq --no-install-recommends chromium']);
  });
});
