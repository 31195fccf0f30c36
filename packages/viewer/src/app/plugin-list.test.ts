import { describe, expect, it } from 'vitest';
import { fetchServedPlugins } from './plugin-list.js';

const PAGE = 'http://127.0.0.1:5173/?run=x';

function serving(status: number, body: string): typeof fetch {
  return async (input) => {
    expect(String(input)).toBe('http://127.0.0.1:5173/plugins.json');
    return new Response(body, { status });
  };
}

describe('fetchServedPlugins', () => {
  it('reads the list and makes each module URL absolute', async () => {
    const list = await fetchServedPlugins(PAGE, serving(200, JSON.stringify({ plugins: [{ kind: 'toy', packageName: 'latentkit-toy', url: 'plugins/toy.js' }] })));
    expect(list).toEqual([{ kind: 'toy', packageName: 'latentkit-toy', url: 'http://127.0.0.1:5173/plugins/toy.js' }]);
  });

  it('gives no plugins where there is no plugins.json (a static host)', async () => {
    expect(await fetchServedPlugins(PAGE, serving(404, 'not found'))).toEqual([]);
  });

  it.each([
    [500, 'oops', /plugins\.json \(HTTP 500\)/],
    [200, '{', /plugins\.json is not valid JSON/],
    [200, '[]', /expected \{ "plugins": \[\.\.\.\] \}/],
    [200, '{"plugins":[{"kind":"toy"}]}', /plugins\[0\] needs kind, packageName and url/],
  ])('refuses HTTP %i %s in one line naming the file', async (status, body, message) => {
    await expect(fetchServedPlugins(PAGE, serving(status, body))).rejects.toThrow(message);
  });
});
