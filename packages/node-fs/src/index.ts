export { writeFileAtomic, writeFiles, ioError } from './atomic.js';
export { stageDir, type StagedDir, type StageOptions } from './staged-dir.js';
export { checkReplaceable, type ReplaceCheck } from './owned-folder.js';
export { removeStaleStaging, processAlive } from './stale.js';
export { finalPathOf } from './live-staging.js';
export { readBundleDir, writeBundleDir, writeBundleFiles } from './bundle-dir.js';
