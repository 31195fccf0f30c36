export const CHROMIUM_NAMES: readonly string[];
export const FIXED_PATHS: readonly string[];
export function onPath(name: string, env?: NodeJS.ProcessEnv): string | undefined;
export function findChromium(options?: { env?: NodeJS.ProcessEnv; fixedPaths?: readonly string[] }): string | undefined;
export function installPlan(options?: {
  env?: NodeJS.ProcessEnv;
  isRoot?: boolean;
  isDebian?: boolean;
  aptGet?: string;
}): { steps: [string, string[]][]; reason?: undefined } | { reason: string; steps?: undefined };
/** Resolves with a Chromium executable, installing Debian's chromium once where it can; rejects with one line otherwise. */
export function chromiumPath(options?: {
  env?: NodeJS.ProcessEnv;
  fixedPaths?: readonly string[];
  lockDir?: string;
  plan?: { isRoot?: boolean; isDebian?: boolean; aptGet?: string };
}): Promise<string>;
