// Node-only additions: the Brotli coder from node:zlib. Everything else is in the browser-safe main entry.
export { brotliCoder } from './node/brotli.js';
export * from './index.js';
