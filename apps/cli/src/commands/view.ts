import { access, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { LatentkitError, MANIFEST_FILE } from '@latentkit/core';
import { RUN_MANIFEST_FILE, writeRunFolder } from '@latentkit/run/node';
import { serveRun, servedPlugin, type ServedPlugin } from '@latentkit/viewer/node';
import { loadData, loadReducer, readRunFacts, type CommandContext } from '../context.js';
import { pluginModules } from '../plugins.js';
import { assertFolder } from '../run-facts.js';
import { runModel } from './compare.js';

const exists = (p: string) => access(p).then(() => true, () => false);

/**
 * A single model folder (from `fit`) has no points or codes: build a throw-away run folder around a copy of
 * it, on the data it was fitted on, so the viewer can show it. Returns the folder and how to remove it.
 */
async function runFolderForModel(ctx: CommandContext, modelDir: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'latentkit-view-'));
  try {
    const name = basename(modelDir).replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^\.+/, '') || 'model';
    await cp(modelDir, join(dir, name), { recursive: true });
    const facts = await readRunFacts(modelDir);
    const reducer = await loadReducer(ctx, modelDir);
    try {
      const seed = facts.seed ?? 0;
      const data = await loadData(ctx, facts.data ?? 'mnist', seed);
      const registry = await ctx.registry();
      await writeRunFolder(dir, { data, seed, models: [runModel(registry, name, reducer, facts.testMse !== undefined ? { testMse: facts.testMse } : {})] }, { listener: (l) => ctx.progress.listener(l), signal: ctx.signal });
    } finally {
      reducer.dispose();
    }
    ctx.progress.stop();
    return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * The browser modules of the plugins loaded from the config file or --plugin (the viewer bundles the
 * built-ins). A plugin without a browser entry is left out: the viewer then says its models cannot be decoded.
 */
async function browserPlugins(ctx: CommandContext): Promise<ServedPlugin[]> {
  const registry = await ctx.registry();
  const out: ServedPlugin[] = [];
  for (const [kind, url] of pluginModules(registry)) {
    const served = await servedPlugin(registry.get(kind), url);
    if (served) out.push(served);
  }
  return out;
}

/**
 * `latentkit view DIR`: serves the web viewer and a run folder (demo or compare output, or a single model
 * folder) read-only on 127.0.0.1 until interrupted. Prints the URL (or {"url"} with --json).
 */
export async function runView(ctx: CommandContext, dir: string, flags: { port?: string; host?: string }): Promise<void> {
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LatentkitError('E_OPTION', `--port must be an integer from 0 to 65535, got ${JSON.stringify(flags.port)}`);
  }
  await assertFolder(resolve(ctx.cwd, dir), 'folder');
  const target = resolve(ctx.cwd, dir);
  let served = { dir: target, cleanup: async () => undefined as void };
  if (!(await exists(join(target, RUN_MANIFEST_FILE)))) {
    if (!(await exists(join(target, MANIFEST_FILE)))) throw new LatentkitError('E_INPUT_FORMAT', `${dir} is neither a run folder (run.json) nor a model folder (manifest.json)`);
    served = await runFolderForModel(ctx, target);
  }
  try {
    const plugins = await browserPlugins(ctx);
    const server = await serveRun({ runDir: served.dir, port, plugins, ...(flags.host ? { host: flags.host } : {}) });
    ctx.print(`viewing ${dir} at ${server.url}  (Ctrl-C to stop)`, { url: server.url, dir });
    await new Promise<void>((done) => {
      if (ctx.signal.aborted) return done();
      ctx.signal.addEventListener('abort', () => done(), { once: true });
    });
    await server.close();
  } finally {
    await served.cleanup();
  }
}
