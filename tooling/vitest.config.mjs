import { latentkitVitest } from './vitest/config.mjs';
export default latentkitVitest({ test: { include: ['test/**/*.test.ts'] } });
