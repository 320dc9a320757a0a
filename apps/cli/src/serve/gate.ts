/**
 * A counting semaphore: at most `limit` holders at once, the others wait in arrival order. `acquire()`
 * resolves to a release function that is safe to call more than once.
 */
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`gate limit must be a positive integer, got ${limit}`);
  }

  /** Holders now. */
  get holders(): number {
    return this.active;
  }

  /** Callers waiting for a turn. */
  get queued(): number {
    return this.waiting.length;
  }

  async acquire(): Promise<() => void> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); // the turn passes straight to the next caller: `active` is unchanged
      else this.active--;
    };
  }
}
