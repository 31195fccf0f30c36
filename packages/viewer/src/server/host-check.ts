import { hostname as machineName, networkInterfaces } from 'node:os';
import { isIPv6 } from 'node:net';

/** Loopback names every server accepts, as URL.hostname writes them. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);

/** A host name or address as it appears in URL.hostname: lowercase, IPv6 in brackets, no trailing dot. */
export function normaliseHostName(name: string): string {
  const bare = name.trim().replace(/^\[(.*)\]$/, '$1');
  const written = isIPv6(bare) ? `[${bare}]` : bare;
  try {
    return new URL(`http://${written}/`).hostname.replace(/\.$/, '');
  } catch {
    return written.toLowerCase();
  }
}

export interface HostPolicyOptions {
  /** The address the server is bound to. */
  readonly bindHost: string;
  /** Extra names to accept (e.g. a LAN DNS name). */
  readonly allowedHosts?: readonly string[];
  /** The machine's addresses and name, used when binding every interface (injectable for tests). */
  readonly interfaceAddresses?: readonly string[];
  readonly machineName?: string;
}

/**
 * The Host names a server accepts: the loopback names always; the bound address when the user bound one on
 * purpose; for a wildcard bind (0.0.0.0, ::) that address, the machine's own addresses and its name. A page served from any
 * other name — e.g. an attacker's domain re-bound to 127.0.0.1 — is refused, so it cannot read the run.
 */
export function allowedHostNames(options: HostPolicyOptions): Set<string> {
  const names = new Set(LOOPBACK_HOSTS);
  const bind = normaliseHostName(options.bindHost);
  if (WILDCARD_BINDS.has(bind) || WILDCARD_BINDS.has(options.bindHost.trim())) {
    // The wildcard itself too: it is the address serveRun reports, and no DNS name can re-bind to a literal.
    names.add(bind);
    for (const a of options.interfaceAddresses ?? localAddresses()) names.add(normaliseHostName(a));
    names.add(normaliseHostName(options.machineName ?? machineName()));
  } else if (bind !== '') {
    names.add(bind);
  }
  for (const extra of options.allowedHosts ?? []) names.add(normaliseHostName(extra));
  return names;
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

/**
 * Whether a request's Host header names this server: an accepted name and the server's own port (a missing
 * port means 80). Anything that is not a plain host[:port] is refused.
 */
export function isAllowedHost(header: string | undefined, names: ReadonlySet<string>, port: number): boolean {
  if (!header || /[\s/?#@\\]/.test(header)) return false;
  let url: URL;
  try {
    url = new URL(`http://${header}/`);
  } catch {
    return false;
  }
  const givenPort = url.port === '' ? 80 : Number(url.port);
  return givenPort === port && names.has(url.hostname.replace(/\.$/, ''));
}
