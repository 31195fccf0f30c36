import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LatentkitError } from '@latentkit/core';
import { RUN_MANIFEST_FILE } from '@latentkit/run';
import { contentTypeFor } from './content-types.js';
import { allowedHostNames, isAllowedHost } from './host-check.js';
import { checkServedPlugins, PLUGIN_LIST_PATH, pluginForPath, pluginListJson, type PluginRoute } from './plugin-routes.js';
import { resolveInside, safeSegments } from './safe-path.js';
import type { ServedPlugin } from './served-plugin.js';
import { defaultViewerDir } from './viewer-dir.js';

export interface ServeRunOptions {
  /** The run folder (run.json, points/, one folder per model). */
  readonly runDir: string;
  /** Third-party plugins whose browser modules the viewer loads (each at /plugins/<kind>.js). */
  readonly plugins?: readonly ServedPlugin[];
  /** Interface to bind; the default keeps the run private to this machine. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Extra Host header names to accept besides loopback and the bound address (e.g. a LAN DNS name). */
  readonly allowedHosts?: readonly string[];
  /** The built viewer to serve at /; defaults to this package's dist/viewer. */
  readonly viewerDir?: string;
}

export interface RunServer {
  /** The viewer's address, e.g. http://127.0.0.1:5173/ (the run is under run/). */
  readonly url: string;
  close(): Promise<void>;
}

const RUN_PREFIX = '/run/';

interface Roots {
  readonly run: string;
  readonly viewer: string;
  readonly plugins: ReadonlyMap<string, PluginRoute>;
  readonly pluginList: string;
}

/**
 * Serves the built viewer at /, the run folder read-only at /run/ and the plugins' browser modules at
 * /plugins/. Only GET and HEAD; only Host headers naming this server (DNS-rebinding defence); no directory
 * listings; every path is checked segment by segment and by realpath against its root.
 */
export async function serveRun(options: ServeRunOptions): Promise<RunServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (typeof options.runDir !== 'string' || options.runDir === '') throw new LatentkitError('E_OPTION', 'serveRun needs runDir, the run folder to serve');
  const run = await existingDir(options.runDir, 'run folder');
  const viewer = await existingDir(options.viewerDir ?? defaultViewerDir(), 'built viewer (run `pnpm build` in @latentkit/viewer)');
  try {
    await stat(join(run, RUN_MANIFEST_FILE));
  } catch {
    throw new LatentkitError('E_INPUT_FORMAT', `${options.runDir} is not a latentkit run folder (no ${RUN_MANIFEST_FILE})`);
  }
  const plugins = await checkServedPlugins(options.plugins ?? []);
  const roots: Roots = { run, viewer, plugins, pluginList: pluginListJson(plugins) };

  let hosts: ReadonlySet<string> = new Set();
  let boundPort = port;
  const server = createServer((req, res) => {
    if (!isAllowedHost(req.headers.host, hosts, boundPort)) {
      return send(res, 403, 'forbidden: this server answers only to its own address (Host header refused)');
    }
    handle(req, res, roots).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (e) => reject(new LatentkitError('E_IO', `cannot listen on ${host}:${port} (${e.message})`, { cause: e })));
    server.listen(port, host, () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  boundPort = address.port;
  hosts = allowedHostNames({ bindHost: host, allowedHosts: options.allowedHosts ?? [] });
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

async function handle(req: IncomingMessage, res: ServerResponse, roots: Roots): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed');
  }
  const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0]!;
  if (!rawPath.startsWith('/')) return send(res, 400, 'bad request');

  if (rawPath === PLUGIN_LIST_PATH) return sendBody(req, res, 'application/json; charset=utf-8', roots.pluginList);
  if (rawPath.startsWith('/plugins/')) {
    const plugin = pluginForPath(rawPath, roots.plugins);
    if (!plugin) return send(res, 404, 'not found');
    const size = (await stat(plugin.realFile)).size;
    return sendFile(req, res, plugin.realFile, size, 'text/javascript; charset=utf-8');
  }

  let root: string;
  let rest: string;
  if (rawPath.startsWith(RUN_PREFIX)) {
    root = roots.run;
    rest = rawPath.slice(RUN_PREFIX.length);
  } else {
    root = roots.viewer;
    rest = rawPath === '/' ? 'index.html' : rawPath.slice(1);
  }
  const segments = safeSegments(rest);
  if (typeof segments === 'number') return send(res, segments, segments === 403 ? 'forbidden' : segments === 400 ? 'bad request' : 'not found');
  const file = await resolveInside(root, segments);
  if (!file.ok) return send(res, file.status, file.status === 403 ? 'forbidden' : 'not found');
  return sendFile(req, res, file.path, file.size, contentTypeFor(file.path));
}

function headers(type: string, length: number): Record<string, string> {
  return { 'Content-Type': type, 'Content-Length': String(length), 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
}

function sendBody(req: IncomingMessage, res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, headers(type, Buffer.byteLength(body)));
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, size: number, type: string): Promise<void> {
  res.writeHead(200, headers(type, size));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((done, fail) => {
    const stream = createReadStream(path);
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
