import { resolve } from 'node:path';
import { LatentkitError } from '@latentkit/core';
import { serveRun } from '@latentkit/web/server';
import type { CommandContext } from '../context.js';

/**
 * `latentkit view DIR`: serves the web viewer and the run folder (read-only) until interrupted.
 * Prints the URL (or {"url"} with --json) and returns once ctx.signal fires (Ctrl-C) and the server closed.
 */
export async function runView(ctx: CommandContext, dir: string, flags: { port?: string; host?: string }): Promise<void> {
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LatentkitError('E_OPTION', `--port must be an integer from 0 to 65535, got ${JSON.stringify(flags.port)}`);
  }
  const server = await serveRun({ dir: resolve(ctx.cwd, dir), port, ...(flags.host ? { host: flags.host } : {}) });
  ctx.print(`viewing ${dir} at ${server.url}  (Ctrl-C to stop)`, { url: server.url, dir });
  await new Promise<void>((done) => {
    if (ctx.signal.aborted) return done();
    ctx.signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
}
