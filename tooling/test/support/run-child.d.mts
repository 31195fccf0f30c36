export interface ChildResult {
  ok: boolean;
  value?: unknown;
  error?: { name?: string; code?: string; message: string };
  /** Peak resident set size of the child, in bytes. */
  maxRssBytes?: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderr: string;
}
export function moduleUrl(path: string): string;
export function runChild(body: string, options?: { timeoutMs?: number; env?: Record<string, string>; execArgv?: string[] }): Promise<ChildResult>;
