import { latentkitEslint } from '@latentkit/tooling/eslint';
export default latentkitEslint({ nodeFiles: ['src/**'] });
