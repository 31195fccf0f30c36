import { latentkitEslint } from '@latentkit/tooling/eslint';
// This whole package is a Node entry point: node: imports are its job.
export default latentkitEslint({ nodeFiles: ['src/**'] });
