/**
 * An open-addressing hash table from id bytes to codes, so repeated text ids are looked up straight from the
 * file's bytes without building a string per row (a string is made once, when an id is first seen).
 * @internal
 */
export class ByteIdTable {
  private slots: Int32Array = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;
  private arena: Uint8Array = new Uint8Array(1 << 16);
  private arenaLen = 0;
  private off: Int32Array = new Int32Array(1 << 11);
  private len: Int32Array = new Int32Array(1 << 11);
  private hash: Int32Array = new Int32Array(1 << 11);
  private code: Int32Array = new Int32Array(1 << 11);
  private n = 0;

  /** FNV-1a hash of bytes[s, e). */
  static hashOf(buf: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    return h;
  }

  /** The code stored for bytes[s, e) (with hash `h`), or -1. */
  get(buf: Uint8Array, s: number, e: number, h: number): number {
    const n = e - s;
    let slot = h & this.mask;
    while (true) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return -1;
      if (this.hash[entry] === h && this.len[entry] === n) {
        const o = this.off[entry];
        let same = true;
        for (let k = 0; k < n; k++) {
          if (this.arena[o + k] !== buf[s + k]) {
            same = false;
            break;
          }
        }
        if (same) return this.code[entry];
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Stores `code` for bytes[s, e) (not present yet). */
  set(buf: Uint8Array, s: number, e: number, h: number, code: number): void {
    const entry = this.n++;
    if (entry >= this.off.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.off = grow(this.off);
      this.len = grow(this.len);
      this.hash = grow(this.hash);
      this.code = grow(this.code);
    }
    const n = e - s;
    if (this.arenaLen + n > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + n));
      a.set(this.arena.subarray(0, this.arenaLen));
      this.arena = a;
    }
    this.arena.set(buf.subarray(s, e), this.arenaLen);
    this.off[entry] = this.arenaLen;
    this.len[entry] = n;
    this.hash[entry] = h;
    this.code[entry] = code;
    this.arenaLen += n;
    if (this.n * 2 > this.slots.length) this.rehash();
    else this.place(entry);
  }

  private place(entry: number): void {
    let slot = this.hash[entry] & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = entry + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let k = 0; k < this.n; k++) this.place(k);
  }
}
