import { conformanceChecks } from '../suite.js';
import type { ConformanceOptions } from '../settings.js';

/** Runs every chosen check in order; the ids of those that failed, with why. */
export async function failures(plugin: unknown, options?: ConformanceOptions): Promise<Record<string, string>> {
  const failed: Record<string, string> = {};
  for (const check of conformanceChecks(plugin, options)) {
    try {
      await check.run();
    } catch (e) {
      failed[check.id] = (e as Error).message;
    }
  }
  return failed;
}
