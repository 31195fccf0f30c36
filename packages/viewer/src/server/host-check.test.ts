import { describe, expect, it } from 'vitest';
import { allowedHostNames, isAllowedHost, normaliseHostName } from './host-check.js';

const PORT = 5173;

describe('allowedHostNames', () => {
  it('accepts only the loopback names for the default bind', () => {
    expect([...allowedHostNames({ bindHost: '127.0.0.1' })].sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
  });

  it('adds an address the user bound on purpose', () => {
    const names = allowedHostNames({ bindHost: '192.168.1.5' });
    expect(names.has('192.168.1.5')).toBe(true);
    expect(names.has('localhost')).toBe(true);
    expect(allowedHostNames({ bindHost: 'fe80::1' }).has('[fe80::1]')).toBe(true);
  });

  it('adds the machine\'s addresses and name for a wildcard bind, and no other name', () => {
    for (const bindHost of ['0.0.0.0', '::']) {
      const names = allowedHostNames({ bindHost, interfaceAddresses: ['10.0.0.7', 'fe80::2'], machineName: 'Box' });
      expect(names.has('10.0.0.7')).toBe(true);
      expect(names.has('[fe80::2]')).toBe(true);
      expect(names.has('box')).toBe(true);
      // The wildcard address is what serveRun prints as the URL, so a user may open it.
      expect(names.has(bindHost === '::' ? '[::]' : bindHost)).toBe(true);
      expect(names.has('evil.example')).toBe(false);
      expect(names.has('10.0.0.8')).toBe(false);
    }
  });

  it('adds the names given in allowedHosts, normalised', () => {
    const names = allowedHostNames({ bindHost: '127.0.0.1', allowedHosts: ['Viewer.LAN.', '::1'] });
    expect(names.has('viewer.lan')).toBe(true);
    expect(names.has('[::1]')).toBe(true);
  });
});

describe('normaliseHostName', () => {
  it.each([
    ['LOCALHOST', 'localhost'],
    ['localhost.', 'localhost'],
    ['::1', '[::1]'],
    ['[::1]', '[::1]'],
    ['127.0.0.1', '127.0.0.1'],
  ])('%s → %s', (given, expected) => {
    expect(normaliseHostName(given)).toBe(expected);
  });
});

describe('isAllowedHost', () => {
  const names = allowedHostNames({ bindHost: '127.0.0.1' });

  it.each([`localhost:${PORT}`, `127.0.0.1:${PORT}`, `[::1]:${PORT}`, `LocalHost:${PORT}`, `localhost.:${PORT}`])('accepts %s', (host) => {
    expect(isAllowedHost(host, names, PORT)).toBe(true);
  });

  it.each([
    [`evil.example:${PORT}`, 'a foreign name (DNS rebinding)'],
    [`localhost.evil.example:${PORT}`, 'a name ending in another domain'],
    ['localhost:8080', 'another port'],
    ['localhost', 'no port on a server that is not on 80'],
    [`localhost:${PORT}@evil.example`, 'user info'],
    [`evil.example:${PORT}/localhost`, 'a path'],
    [`127.0.0.2:${PORT}`, 'another loopback address not bound'],
    ['', 'an empty header'],
    [undefined, 'no header'],
    [`local host:${PORT}`, 'whitespace'],
  ])('refuses %s (%s)', (host, _why) => {
    expect(isAllowedHost(host, names, PORT)).toBe(false);
  });

  it('takes a missing port as 80', () => {
    expect(isAllowedHost('localhost', names, 80)).toBe(true);
    expect(isAllowedHost('localhost:80', names, 80)).toBe(true);
  });
});
