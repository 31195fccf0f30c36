// Node entry of @latentkit/viewer: the read-only HTTP server behind `latentkit view DIR`, and where a
// plugin's browser module is.
export { serveRun, type ServeRunOptions, type RunServer } from './server/serve.js';
export { servedPlugin, type ServedPlugin, type PluginWithBrowserEntry } from './server/served-plugin.js';
export { allowedHostNames, isAllowedHost, LOOPBACK_HOSTS } from './server/host-check.js';
export { contentTypeFor } from './server/content-types.js';
