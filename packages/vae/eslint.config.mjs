export { default } from '@latentkit/tooling/eslint';
