export { writeFileAtomic, writeFiles, ioError } from './atomic.js';
export { stageDir, type StagedDir, type StageOptions } from './staged-dir.js';
export { readBundleDir, writeBundleDir, writeBundleFiles } from './bundle-dir.js';
