import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the committed kernel bytes (knn-bytes.ts, place-bytes.ts, layout-bytes.ts) are knn.wat, place.wat and layout.wat assembled', () => {
  const script = fileURLToPath(new URL('../../scripts/build-wasm.mjs', import.meta.url));
  let output: string;
  try {
    output = execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`kernel bytes are stale; run \`pnpm --filter @latentkit/umap run build:wasm\` (${String((error as { stdout?: string }).stdout ?? error)})`, { cause: error });
  }
  expect(output).toMatch(/knn-bytes\.ts is up to date/);
  expect(output).toMatch(/place-bytes\.ts is up to date/);
  expect(output).toMatch(/layout-bytes\.ts is up to date/);
});
