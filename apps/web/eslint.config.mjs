import { latentkitEslint } from '@latentkit/tooling/eslint';
// The server is the package's Node entry point; everything under src/app runs in the browser.
export default latentkitEslint({ nodeFiles: ['src/server/**', 'vite.config.ts'] });
