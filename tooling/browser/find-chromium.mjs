// Finds a Chromium or Chrome for the browser tests, and on a bare Debian machine (as root) installs Debian's
// `chromium` once per test run; where it cannot, fails with one line saying what to install. Never skips.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, openSync, closeSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Executable names looked up on PATH, in order. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
export const FIXED_PATHS = ['/usr/bin/chromium'];
const INSTALL_HINT = "install Debian's chromium package (apt-get install chromium) or set LATENTKIT_CHROMIUM to a Chrome or Chromium executable";
/** How long a second test process waits for another one's install. */
const WAIT_MS = 15 * 60_000;

function isExecutable(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Chromium builds playwright-core downloaded itself (`npx playwright install chromium`), newest first. */
function playwrightCandidates(env) {
  const roots = env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== '0' ? [env.PLAYWRIGHT_BROWSERS_PATH] : [join(env.HOME || homedir(), '.cache', 'ms-playwright')];
  const out = [];
  for (const root of roots) {
    let names = [];
    try {
      names = readdirSync(root).filter((n) => /^chromium-\d+$/.test(n));
    } catch {
      continue;
    }
    names.sort((a, b) => Number(b.split('-')[1]) - Number(a.split('-')[1]));
    for (const n of names) for (const sub of ['chrome-linux64', 'chrome-linux', 'chrome-linux-arm64']) out.push(join(root, n, sub, 'chrome'));
  }
  return out;
}

/** First executable named `name` on env.PATH. */
export function onPath(name, env = process.env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * A Chromium executable: LATENTKIT_CHROMIUM (which must then be one), then chromium, chromium-browser,
 * google-chrome on PATH, then /usr/bin/chromium, then playwright-core's own download. Undefined when none.
 */
export function findChromium({ env = process.env, fixedPaths = FIXED_PATHS } = {}) {
  const chosen = env.LATENTKIT_CHROMIUM;
  if (chosen) {
    if (isExecutable(chosen)) return chosen;
    throw new Error(`LATENTKIT_CHROMIUM=${chosen} is not an executable file; point it at a Chrome or Chromium binary or unset it`);
  }
  for (const name of CHROMIUM_NAMES) {
    const p = onPath(name, env);
    if (p) return p;
  }
  return [...fixedPaths, ...playwrightCandidates(env)].find(isExecutable);
}

/** How this machine can install Chromium: apt-get commands, or why it cannot (one clause). */
export function installPlan({ env = process.env, isRoot = process.getuid?.() === 0, isDebian = existsSync('/etc/debian_version'), aptGet = onPath('apt-get', env) } = {}) {
  if (!isDebian || !aptGet) return { reason: 'this is not a Debian machine with apt-get' };
  if (!isRoot) return { reason: 'installing needs root' };
  return {
    steps: [
      [aptGet, ['update', '-qq']],
      [aptGet, ['install', '-y', '-qq', '--no-install-recommends', 'chromium']],
    ],
  };
}

function run(cmd, args, logFile, env) {
  return new Promise((resolve) => {
    const log = openSync(logFile, 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', log, log], env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
    child.on('error', () => resolve(false));
    child.on('close', (code) => {
      closeSync(log);
      resolve(code === 0);
    });
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code !== 'ESRCH';
  }
}

/** Takes the install lock (a file created exclusively), waiting while a live process holds it. */
async function lock(path) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = 0;
    let age = 0;
    try {
      holder = Number(readFileSync(path, 'utf8').trim() || '0');
      age = Date.now() - statSync(path).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    // A dead holder's lock is stale; so is one still empty long after it was created (its holder died at once).
    if ((holder > 0 && !alive(holder)) || (holder === 0 && age > 10_000)) rmSync(path, { force: true });
    else if (Date.now() > deadline) throw new Error(`waited ${WAIT_MS / 60_000} minutes for another test process to install Chromium (lock ${path}); ${INSTALL_HINT}`);
    else await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The path of a Chromium for playwright's `executablePath`. When none is found and this is Debian with apt-get
 * and root, installs `chromium` once (a lock file serialises parallel test processes; the outcome is kept per
 * test run, LATENTKIT_TEST_RUN, so a failed install is not retried by every package). Otherwise rejects with
 * one line saying which package to install.
 */
export async function chromiumPath(options = {}) {
  const env = options.env ?? process.env;
  const found = findChromium({ env, ...(options.fixedPaths ? { fixedPaths: options.fixedPaths } : {}) });
  if (found) return found;
  const dir = options.lockDir ?? tmpdir();
  const outcome = env.LATENTKIT_TEST_RUN ? join(dir, `latentkit-chromium-${env.LATENTKIT_TEST_RUN.replace(/[^\w.-]/g, '_')}.failed`) : undefined;
  const failed = (why) => {
    const message = `Chromium not found for the browser tests and ${why}: ${INSTALL_HINT}`;
    if (outcome) writeFileSync(outcome, message);
    return new Error(message);
  };
  const lockPath = join(dir, 'latentkit-chromium-install.lock');
  await lock(lockPath);
  try {
    // Another process may have installed it, or failed to, while this one waited.
    const now = findChromium({ env, ...(options.fixedPaths ? { fixedPaths: options.fixedPaths } : {}) });
    if (now) return now;
    if (outcome && existsSync(outcome)) throw new Error(readFileSync(outcome, 'utf8'));
    const plan = installPlan({ env, ...options.plan });
    if (plan.reason) throw failed(`cannot be installed here (${plan.reason})`);
    const logFile = join(dir, 'latentkit-chromium-install.log');
    process.stderr.write(`latentkit tests: no Chromium found; installing Debian's chromium package (apt-get install chromium, log in ${logFile})\n`);
    for (const [cmd, args] of plan.steps) {
      if (!(await run(cmd, args, logFile, env))) throw failed(`\`${[cmd, ...args].join(' ')}\` failed (see ${logFile})`);
    }
    const installed = findChromium({ env, ...(options.fixedPaths ? { fixedPaths: options.fixedPaths } : {}) });
    if (!installed) throw failed('apt-get installed chromium but no executable was found afterwards');
    return installed;
  } finally {
    rmSync(lockPath, { force: true });
  }
}
