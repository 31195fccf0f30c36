import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const RULE = 'latentkit/no-reducer-kind-comparison';

/** The app's own eslint config on files planted inside the app (flat config ignores files outside its folder). */
describe('lint: apps never compare a reducer kind to a literal', () => {
  let dir: string;
  const eslint = new ESLint({ cwd: APP, overrideConfigFile: join(APP, 'eslint.config.mjs') });
  const lint = async (name: string, code: string) => {
    const file = join(dir, name);
    await writeFile(file, code);
    const [result] = await eslint.lintFiles([file]);
    return result!.messages;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(APP, 'test', '.lint-probe-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reports a planted `kind === \'pca\'`', async () => {
    const messages = await lint('planted.ts', "export function f(x: { kind: string }): boolean {\n  return x.kind === 'pca';\n}\n");
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([[RULE, 2]]);
    expect(messages[0]!.message).toMatch(/decide by capabilities/);
  });

  it('reports the other spellings: !==, "…", .reducer, switch cases, [..].includes', async () => {
    const code = [
      'declare const kind: string;',
      'declare const r: { reducer: string; kind: string };',
      'export const a = kind !== "conv-ae";',
      "export const b = r.reducer === 'pca';",
      "export const c = 'umap' == r.kind;",
      "export function d(): number {\n  switch (kind) {\n    case 'pca':\n      return 1;\n    default:\n      return 0;\n  }\n}",
      "export const e = ['pca', 'dense-ae'].includes(r.kind);",
    ].join('\n');
    const messages = await lint('spellings.ts', code);
    expect(messages.every((m) => m.ruleId === RULE)).toBe(true);
    expect(messages.map((m) => m.line)).toEqual([3, 4, 5, 8, 14]);
  });

  it('passes a clean file: capabilities, kinds compared to each other, typeof checks, other literals', async () => {
    const code = [
      "import { hasCapability, type Reducer } from '@latentkit/core';",
      'export function f(m: Reducer, other: Reducer, flags: { density: string }): boolean {',
      "  if (typeof m.kind !== 'string') return false;",
      "  if (flags.density !== 'gaussian') return false;",
      "  return hasCapability(m, 'decode') && m.kind !== other.kind;",
      '}',
    ].join('\n');
    expect(await lint('clean.ts', code)).toEqual([]);
  });
});
