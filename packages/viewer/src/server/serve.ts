import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LatentkitError, RUN_MANIFEST_FILE } from '@latentkit/core';
import { contentTypeFor } from './content-types.js';
import { resolveInside, safeSegments } from './safe-path.js';
import { defaultViewerDir } from './viewer-dir.js';

export interface ServeRunOptions {
  /** The run folder (run.json, points/, one folder per model). */
  readonly dir: string;
  /** Interface to bind; the default keeps the run private to this machine. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The built viewer to serve at /; defaults to this package's dist/viewer. */
  readonly viewerDir?: string;
}

export interface RunServer {
  /** The viewer's address, e.g. http://127.0.0.1:5173/ (the run is under run/). */
  readonly url: string;
  close(): Promise<void>;
}

const RUN_PREFIX = '/run/';

/**
 * Serves the built viewer at / and the run folder read-only at /run/. Only GET and HEAD; no directory
 * listings; every path is checked segment by segment and by realpath against its root.
 */
export async function serveRun(options: ServeRunOptions): Promise<RunServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const runRoot = await existingDir(options.dir, 'run folder');
  const viewerRoot = await existingDir(options.viewerDir ?? defaultViewerDir(), 'built viewer (run `pnpm --filter @latentkit/web build`)');
  try {
    await stat(join(runRoot, RUN_MANIFEST_FILE));
  } catch {
    throw new LatentkitError('E_INPUT_FORMAT', `${options.dir} is not a latentkit run folder (no ${RUN_MANIFEST_FILE})`);
  }

  const server = createServer((req, res) => {
    handle(req, res, runRoot, viewerRoot).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (e) => reject(new LatentkitError('E_IO', `cannot listen on ${host}:${port} (${e.message})`, { cause: e })));
    server.listen(port, host, () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((e) => (e ? reject(e) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

async function existingDir(dir: string, what: string): Promise<string> {
  try {
    const real = await realpath(dir);
    if ((await stat(real)).isDirectory()) return real;
  } catch {
    // fall through to the one error below
  }
  throw new LatentkitError('E_IO', `${what} ${dir} does not exist or is not a folder`);
}

async function handle(req: IncomingMessage, res: ServerResponse, runRoot: string, viewerRoot: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed');
  }
  const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0]!;
  if (!rawPath.startsWith('/')) return send(res, 400, 'bad request');

  let root: string;
  let rest: string;
  if (rawPath.startsWith(RUN_PREFIX)) {
    root = runRoot;
    rest = rawPath.slice(RUN_PREFIX.length);
  } else {
    root = viewerRoot;
    rest = rawPath === '/' ? 'index.html' : rawPath.slice(1);
  }
  const segments = safeSegments(rest);
  if (typeof segments === 'number') return send(res, segments, segments === 403 ? 'forbidden' : segments === 400 ? 'bad request' : 'not found');
  const file = await resolveInside(root, segments);
  if (!file.ok) return send(res, file.status, file.status === 403 ? 'forbidden' : 'not found');

  res.writeHead(200, {
    'Content-Type': contentTypeFor(file.path),
    'Content-Length': String(file.size),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((done, fail) => {
    const stream = createReadStream(file.path);
    stream.on('error', fail);
    res.on('close', () => {
      stream.destroy();
      done();
    });
    stream.pipe(res);
  });
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text) + 1), 'X-Content-Type-Options': 'nosniff' });
  res.end(text + '\n');
}
