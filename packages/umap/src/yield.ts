/**
 * Long synchronous loops call this between units of work: it returns to the event loop at most every
 * `intervalMs`, so a browser stays responsive and an AbortSignal fired from a timer or UI event can
 * land, without paying a timer round-trip on every cheap step.
 */
export function createYielder(intervalMs = 25): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < intervalMs) return;
    await yieldToEventLoop();
    last = performance.now();
  };
}

/** One round trip through the event loop (a macrotask, so timers and UI events run first). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}
