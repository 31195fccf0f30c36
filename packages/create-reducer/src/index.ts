export { namesFor, type ReducerNames } from './names.js';
export { scaffold, TEMPLATE_DIR, type ScaffoldOptions } from './scaffold.js';
export { latentkitRange } from './version.js';
