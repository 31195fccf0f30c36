import { defaultClientConditions, defineConfig } from 'vite';

// Dev only: @latentkit/viewer and the other workspace packages resolve to their TypeScript sources
// ("source" condition), so edits show up without a build. The built viewer is @latentkit/viewer's own.
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  worker: { format: 'es' },
});
