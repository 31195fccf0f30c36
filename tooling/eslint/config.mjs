// Shared flat ESLint config for every package: typescript-eslint's recommended rules, plus two architecture
// rules: browser-safe files never import node: modules (Node entry points opt out), and apps never compare a
// reducer's kind to a literal (they decide by capabilities).
import { sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { latentkitPlugin } from './no-reducer-kind-comparison.mjs';

/** Whether eslint runs for an app (a package under apps/): scripts run `eslint` from the package folder. */
const runsInApp = () => process.cwd().split(sep).includes('apps');

/**
 * @param {{ nodeFiles?: string[], app?: boolean }} options  nodeFiles: Node-only files; app: forbid reducer-kind
 *   comparisons (default: when linting a package under apps/).
 */
export function latentkitEslint({ nodeFiles = [], app = runsInApp() } = {}) {
  return tseslint.config(
    { ignores: ['dist/**', 'node_modules/**', '.test-results/**', '**/*.d.ts'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
      languageOptions: { globals: { ...globals.browser, ...globals.node } },
      rules: {
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/no-non-null-assertion': 'off',
        'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'browser-safe code: node: imports belong in a Node entry point' }] }],
      },
    },
    {
      files: ['**/*.test.ts', 'test/**', '**/*.mjs', 'src/node.ts', 'src/node/**', ...nodeFiles],
      rules: { 'no-restricted-imports': 'off' },
    },
    {
      plugins: { latentkit: latentkitPlugin },
      rules: { 'latentkit/no-reducer-kind-comparison': app ? 'error' : 'off' },
    },
  );
}

export default latentkitEslint();
