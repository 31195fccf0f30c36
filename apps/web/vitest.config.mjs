import { latentkitVitest } from '@latentkit/tooling/vitest';

// The browser tests share one fixture run folder and one Chromium; run files one after another.
export default latentkitVitest({ test: { fileParallelism: false } });
