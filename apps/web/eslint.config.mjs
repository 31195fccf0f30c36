import { latentkitEslint } from '@latentkit/tooling/eslint';
// src runs in the browser; test/ and the Vite config run in Node.
export default latentkitEslint({ nodeFiles: ['vite.config.ts'] });
