/**
 * How long a fit computes before it lets timers and I/O run. A fit is synchronous work between awaits that
 * resolve at once, so without this it would hold the event loop for its whole length: a server would stop
 * answering, a page would freeze, Ctrl-C and progress output would wait, and a test runner's worker would miss
 * its own deadlines. 100 ms keeps the cost of yielding (well under 1%) out of the measurements.
 */
export const YIELD_EVERY_MS = 100;

/** Resolves after pending timers and I/O have had a turn (setImmediate in Node, a zero timeout elsewhere). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
