/**
 * Assigns first-seen codes to raw ids while a file is scanned, then turns them into a sorted vocabulary
 * order (numeric order when every id is a number, as `Vocabulary.fromIds` does) and a code -> index remap.
 * Small non-negative integer ids go through a dense table, other integers through a `Map<number, number>`,
 * anything else through a `Map<string, number>`.
 * @internal
 */
export class IdCoder {
  /** dense[id] = code + 1 for integer ids below `denseLimit`. */
  private dense: Int32Array = new Int32Array(1024);
  private readonly bigInts = new Map<number, number>();
  private readonly strings = new Map<string, number>();
  /** numeric value of each code (NaN for string codes). */
  private values: Float64Array = new Float64Array(1024);
  private readonly stringOf: (string | undefined)[] = [];
  /** Number of distinct ids seen so far. */
  size = 0;
  private hasStrings = false;
  static readonly denseLimit = 1 << 23;

  /** The code of a canonical non-negative integer id. */
  int(v: number): number {
    if (v < IdCoder.denseLimit) {
      let d = this.dense;
      if (v >= d.length) d = this.growDense(v);
      const c = d[v];
      if (c !== 0) return c - 1;
      const code = this.newCode(v, undefined);
      d[v] = code + 1;
      return code;
    }
    const c = this.bigInts.get(v);
    if (c !== undefined) return c;
    const code = this.newCode(v, undefined);
    this.bigInts.set(v, code);
    return code;
  }

  /** The code of any id given as text (canonical integers share codes with {@link int}). */
  str(s: string): number {
    const v = canonicalInt(s);
    if (v >= 0) return this.int(v);
    const c = this.strings.get(s);
    if (c !== undefined) return c;
    const code = this.newCode(NaN, s);
    this.strings.set(s, code);
    this.hasStrings = true;
    return code;
  }

  private growDense(v: number): Int32Array {
    let n = this.dense.length;
    while (n <= v) n *= 2;
    const d = new Int32Array(Math.min(n, IdCoder.denseLimit));
    d.set(this.dense);
    this.dense = d;
    return d;
  }

  private newCode(value: number, s: string | undefined): number {
    const code = this.size++;
    if (code >= this.values.length) {
      const v = new Float64Array(this.values.length * 2);
      v.set(this.values);
      this.values = v;
    }
    this.values[code] = value;
    if (s !== undefined) this.stringOf[code] = s;
    return code;
  }

  /** The raw ids in vocabulary order and `remap[code] = vocabulary index`. */
  finish(): { ids: string[]; remap: Int32Array } {
    const n = this.size;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const values = this.values;
    let ids: string[];
    if (!this.hasStrings) {
      order.sort((a, b) => values[a] - values[b]);
      ids = new Array<string>(n);
      for (let k = 0; k < n; k++) ids[k] = String(values[order[k]]);
    } else {
      const text = new Array<string>(n);
      for (let i = 0; i < n; i++) text[i] = this.stringOf[i] ?? String(values[i]);
      const nums = new Float64Array(n);
      let numeric = true;
      for (let i = 0; i < n; i++) {
        const s = text[i];
        nums[i] = s.trim() === '' ? NaN : Number(s);
        if (!Number.isFinite(nums[i])) numeric = false;
      }
      if (numeric) order.sort((a, b) => nums[a] - nums[b] || a - b);
      else order.sort((a, b) => (text[a] < text[b] ? -1 : text[a] > text[b] ? 1 : 0));
      ids = new Array<string>(n);
      for (let k = 0; k < n; k++) ids[k] = text[order[k]];
    }
    const remap = new Int32Array(n);
    for (let k = 0; k < n; k++) remap[order[k]] = k;
    return { ids, remap };
  }
}

/** The value of `s` when it is a canonical non-negative integer (no sign, no leading zero, < 2^53), else -1. */
export function canonicalInt(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  if (n > 1 && s.charCodeAt(0) === 48) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
