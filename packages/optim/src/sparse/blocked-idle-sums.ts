import type { IdleHistory } from './idle-history.js';
import type { IdleSummary } from './idle-summary.js';
import { composeInto, entrySize, setIdentity, setStep, toSummary } from './step-transform.js';

/** log2 of the fan-out: blocks of 64 steps, blocks of 64 blocks, ... */
const SHIFT = 6;
const FAN = 1 << SHIFT;
/** Levels of blocks by default: the history holds 64^3 = 262144 steps between resets. */
const LEVELS = 3;
/** Steps held (with the default levels) before the owner must bring every row up to date and reset. */
export const BLOCKED_CAPACITY = 1 << (SHIFT * LEVELS);

/**
 * The closed-form catch-up: any run of missed steps is summed from at most four stored spans, whatever its
 * length, so a touched row costs the same after 3 idle steps as after 300,000.
 *
 * Positions are step counts since the last reset (0 = the reset, `n` = now). Level 1 keeps for every
 * position `p` the span from `p` to the end of its block of 64 (or to now, in the current block); level 2
 * keeps for every block the span from its end to the end of its block of 64 blocks (or to the last complete
 * block); level 3 likewise one level up. `tail[l]` is the span from the end of the last complete level-`l`
 * block to now. A gap from `p` to now is then `S1[p]`, followed by at most one entry per level and one
 * tail: every part a product or sum of non-negative numbers (see `step-transform.ts`), so nothing cancels
 * and nothing underflows that would not underflow in the dense optimizer too.
 *
 * A new step extends the at most 63 level-1 spans of its block and the tails (64 compositions); closing a
 * block extends at most 63 entries one level up. That is a few thousand flops per step, against the
 * hundreds of steps per touched row that replaying costs.
 */
export class BlockedIdleSums implements IdleHistory {
  origin = 0;
  private n = 0;
  private readonly size: number;
  /** `levels[l]`: the spans of level `l + 1`, grown as steps arrive. */
  private readonly levels: Float64Array[];
  /** `tail[l]` (entries): the span from the end of the last complete level-`l + 1` block to now. */
  private readonly tail: Float64Array;
  private readonly step: Float64Array;
  private readonly acc: Float64Array;

  /** Steps held before the owner must bring every row up to date and reset. */
  readonly capacity: number;

  /** @param chains the kernel's chains; @param depth levels of blocks (capacity 64^depth steps) */
  constructor(
    private readonly chains: number,
    private readonly depth = LEVELS,
  ) {
    if (!Number.isInteger(depth) || depth < 1 || depth > 4) throw new Error(`depth must be 1 to 4, got ${depth}`);
    this.capacity = 2 ** (SHIFT * depth);
    this.size = entrySize(chains);
    this.levels = Array.from({ length: depth }, () => new Float64Array(this.size * FAN));
    this.tail = new Float64Array(this.size * (this.depth - 1));
    this.step = new Float64Array(this.size);
    this.acc = new Float64Array(this.size);
    this.reset(0);
  }

  get now(): number {
    return this.origin + this.n;
  }

  get full(): boolean {
    return this.n >= this.capacity;
  }

  reset(t: number): void {
    this.origin = t;
    this.n = 0;
    setIdentity(this.levels[0], 0, this.chains);
    for (let l = 0; l < this.depth - 1; l++) setIdentity(this.tail, l * this.size, this.chains);
  }

  record(f: number, m: number, rates: Float64Array, coefs: Float64Array): void {
    if (this.full) throw new Error('catch-up history is full: bring every row up to date and reset it first');
    const k = this.chains;
    const size = this.size;
    const step = this.step;
    setStep(step, 0, k, f, m, rates, coefs);
    const n = ++this.n;
    // level 1: every position of the current block now reaches the new step
    const s1 = this.grow(0, n + 1);
    for (let p = ((n - 1) >> SHIFT) << SHIFT; p < n; p++) composeInto(s1, p * size, step, 0, k);
    setIdentity(s1, n * size, k);
    for (let l = 0; l < this.depth - 1; l++) composeInto(this.tail, l * size, step, 0, k);
    // blocks this step closed: their span (the tail) extends the entries of their siblings one level up
    for (let l = 1; l < this.depth; l++) {
      if ((n & ((1 << (SHIFT * l)) - 1)) !== 0) break;
      const closed = (n >> (SHIFT * l)) - 1;
      const up = this.grow(l, closed + 1);
      const tailOff = (l - 1) * size;
      for (let e = (closed >> SHIFT) << SHIFT; e < closed; e++) composeInto(up, e * size, this.tail, tailOff, k);
      setIdentity(up, closed * size, k);
      setIdentity(this.tail, tailOff, k);
    }
  }

  summarize(last: number, decays: boolean, out: IdleSummary): IdleSummary {
    const a = last - this.origin;
    const n = this.n;
    const k = this.chains;
    const size = this.size;
    const acc = this.acc;
    const s1 = this.levels[0];
    for (let i = 0; i < size; i++) acc[i] = s1[a * size + i];
    if (a >> SHIFT !== n >> SHIFT) {
      for (let l = 1; l < this.depth; l++) {
        composeInto(acc, 0, this.levels[l], (a >> (SHIFT * l)) * size, k);
        if (a >> (SHIFT * (l + 1)) === n >> (SHIFT * (l + 1))) {
          composeInto(acc, 0, this.tail, (l - 1) * size, k);
          break;
        }
      }
    }
    return toSummary(acc, 0, k, n - a, decays, out);
  }

  /** Level `l`'s array with room for `entries` entries (doubling, up to what the capacity needs). */
  private grow(l: number, entries: number): Float64Array {
    const cur = this.levels[l];
    if (cur.length >= entries * this.size) return cur;
    const max = this.capacity / 2 ** (SHIFT * l) + 1;
    const next = new Float64Array(Math.min(max, Math.max(entries, (2 * cur.length) / this.size)) * this.size);
    next.set(cur);
    this.levels[l] = next;
    return next;
  }
}
