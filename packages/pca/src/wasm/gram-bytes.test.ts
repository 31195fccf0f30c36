import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the committed kernel bytes (gram-bytes.ts) are gram.wat assembled', () => {
  const script = fileURLToPath(new URL('../../scripts/build-wasm.mjs', import.meta.url));
  let output: string;
  try {
    output = execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`gram-bytes.ts is stale; run \`pnpm --filter @latentkit/pca run build:wasm\` (${String((error as { stdout?: string }).stdout ?? error)})`, { cause: error });
  }
  expect(output).toMatch(/up to date/);
});
