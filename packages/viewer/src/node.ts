// Node entry of @latentkit/web: the read-only HTTP server behind `latentkit view DIR`.
export { serveRun, type ServeRunOptions, type RunServer } from './serve.js';
export { contentTypeFor } from './content-types.js';
