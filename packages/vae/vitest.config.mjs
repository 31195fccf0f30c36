export { default } from '@latentkit/tooling/vitest';
