import { defaultClientConditions, defineConfig } from 'vite';
import { sharedModulesPlugin } from './src/build/shared-modules-plugin.js';

// tfjs is large and the worker bundles the reducers a second time, which trips rolldown's "slow plugin"
// notice on every build; the time is expected, so the notice is switched off.
const quiet = { checks: { bundlerTimings: false } };

// The static viewer (dist/viewer) that `serveRun` serves. Relative asset URLs let it be hosted under any
// path, and workspace packages resolve to their TypeScript sources ("source" condition) so no prior build
// is needed. Module preloading is off: its helper touches `document`, and the shared chunks also run in
// the training worker.
export default defineConfig({
  base: './',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  plugins: [sharedModulesPlugin()],
  build: { outDir: 'dist/viewer', emptyOutDir: true, target: 'es2022', modulePreload: false, chunkSizeWarningLimit: 6000, rolldownOptions: quiet },
  worker: { format: 'es', rolldownOptions: quiet },
});
