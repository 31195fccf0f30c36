// Shared flat ESLint config for every package: typescript-eslint's recommended rules, plus the
// architecture rule that browser-safe files never import node: modules (Node entry points opt out).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export function latentkitEslint({ nodeFiles = [] } = {}) {
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
  );
}

export default latentkitEslint();
