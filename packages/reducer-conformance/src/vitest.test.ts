import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { conformanceChecks } from './suite.js';
import { describeConformance } from './vitest.js';
import { toyPlugin } from './__fixtures__/toy-plugin.js';

const plugin = toyPlugin({ capabilities: ['encode', 'decode'], withEpochs: true });
const TITLE = 'adapter on a correct toy plugin';

// The adapter itself, as a reducer package uses it: these tests must all pass.
describeConformance(plugin, { settings: { options: { epochs: 1 } } }, { title: TITLE });

describe('the vitest adapter', () => {
  it('registers one test per chosen check, named after it', ({ task }) => {
    const suite = task.file.tasks.find((t) => t.name === TITLE);
    expect(suite?.type).toBe('suite');
    const names = suite?.type === 'suite' ? suite.tasks.map((t) => t.name) : [];
    expect(names).toEqual(conformanceChecks(plugin).map((c) => c.name));
  });

  it('throws at registration for settings the plugin refuses', () => {
    expect(() => describeConformance(toyPlugin({ capabilities: ['encode'] }), { settings: { options: { epochs: 1 } } })).toThrow(/settings.options are not valid for this plugin: .*epochs/);
  });

  it('the main entry never imports vitest, directly or through its modules', () => {
    const src = dirname(fileURLToPath(import.meta.url));
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      expect(text, `${file} imports vitest`).not.toMatch(/from ['"]vitest['"]/);
      for (const [, rel] of text.matchAll(/from '(\.[^']+)\.js'/g)) visit(join(dirname(file), `${rel}.ts`));
    };
    visit(join(src, 'index.ts'));
    expect(seen.size).toBeGreaterThan(10);
  });
});
