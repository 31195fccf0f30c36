import { latentkitEslint } from '@latentkit/tooling/eslint';
// The server and the build plugin run in Node; everything else under src runs in the browser.
export default latentkitEslint({ nodeFiles: ['src/server/**', 'src/build/**', 'vite.config.ts'] });
