import { defaultClientConditions, defineConfig } from 'vite';

// tfjs is large and the worker bundles it a second time, which trips rolldown's "slow plugin" notice
// on every build; the time is expected, so the notice is switched off.
const quiet = { checks: { bundlerTimings: false } };

// The viewer is a static site: relative asset URLs let it be hosted under any path, and workspace
// packages resolve to their TypeScript sources ("source" condition) so no prior build is needed.
export default defineConfig({
  base: './',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist/viewer', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 6000, rolldownOptions: quiet },
  worker: { format: 'es', rolldownOptions: quiet },
});
