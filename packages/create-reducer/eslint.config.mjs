import { latentkitEslint } from '@latentkit/tooling/eslint';
// A command-line scaffolder: the whole package runs in Node.
export default latentkitEslint({ nodeFiles: ['src/**'] });
