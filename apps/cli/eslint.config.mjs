import { latentkitEslint } from '@latentkit/tooling/eslint';
// An app: every file is Node, and reducer kinds are never compared to literals (decide by capabilities).
export default latentkitEslint({ nodeFiles: ['src/**'], app: true });
