/**
 * Long synchronous loops (EM) call this between iterations: it returns to the event loop at most
 * every `intervalMs`, so a browser stays responsive and an AbortSignal fired from a timer or UI
 * event can land, without paying a timer round-trip on every cheap iteration.
 */
export function createYielder(intervalMs = 25): () => Promise<void> {
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
}
