import { DataError, UsageError } from '@collab-ts/core';
import { ByteIdTable } from './byte-id-table.js';
import { IdCoder } from './id-coder.js';
import { charColumn, decodeBytes, splitLine, utf8Problem, type TextEncoding } from '../internal/text.js';
import { parseDecimal, parseId, textNumber } from './field-values.js';

/** Where the rating fields sit in each row (0-based field positions) and what to call them in messages. */
export interface ScanColumns {
  user: number;
  item: number;
  rating: number;
  timestamp: number | null;
  names?: { user: string; item: string; rating: string; timestamp: string };
}

/** Options of the numeric rating kernel. @internal */
export interface ScanOptions {
  file: string;
  delimiter: string;
  columns: ScanColumns;
  /** Line number of the first line the kernel sees (2 after a header). */
  firstLine: number;
  skipBadRows: boolean;
  encoding: TextEncoding;
  /** How many skipped-row messages to keep. */
  maxExamples?: number;
  /**
   * Most fields a row may have: the layout's field count (4 for `u.data`, the header's for a named-column
   * CSV). A row with more is an error at its first extra field (two rows merged by a lost line break, or a
   * separator inside a value). `Infinity` when the layout allows extra fields.
   */
  maxFields: number;
  /** Where {@link maxFields} comes from, for messages (e.g. `'as in the header'`). */
  fieldsSource?: string;
  /** Longest line accepted, in bytes ({@link DEFAULT_MAX_LINE_BYTES} when absent). */
  maxLineBytes?: number;
  /**
   * Stored-row indices (ascending) whose line and column to find: the scan records them in
   * {@link RatingScanner.located} and stops with {@link LocateDone} after the last (see {@link locateInBytes}).
   */
  locateRows?: readonly number[];
}

/** Thrown by the kernel once every row of {@link ScanOptions.locateRows} has been found. @internal */
export class LocateDone extends Error {}

/** Default cap on the length of one line of a ratings file: 1 MiB (a rating row is tens of bytes). */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/** What the kernel produced: columns already remapped to sorted vocabulary indices. @internal */
export interface ScanResult {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  timestamps: Float64Array | null;
  userIds: string[];
  itemIds: string[];
  ratingMin: number;
  ratingMax: number;
  skipped: number;
  skippedExamples: string[];
  lines: number;
}

const F_HIGH = 1;
const F_QUOTE = 2;
const F_NUL = 4;

/**
 * The numeric kernel: scans delimited rating rows straight from bytes, keeps only the four interesting
 * fields, parses numbers in place, codes ids on first sight and stores everything in growable typed arrays.
 * Feed it chunks with {@link RatingScanner.push} (complete lines only are consumed) and call
 * {@link RatingScanner.finish}.
 * @internal
 */
export class RatingScanner {
  private readonly o: ScanOptions;
  private readonly d0: number;
  private readonly d1: number;
  private readonly two: boolean;
  private readonly need: number;
  private readonly role: Int8Array;
  private readonly fs: Int32Array;
  private readonly fe: Int32Array;
  private readonly userCoder = new IdCoder();
  private readonly itemCoder = new IdCoder();
  private readonly userBytes = new ByteIdTable();
  private readonly itemBytes = new ByteIdTable();
  private users: Int32Array;
  private items: Int32Array;
  private ratings: Float32Array;
  private timestamps: Float64Array | null;
  /** Rows stored so far. */
  count = 0;
  private line: number;
  private rmin = Infinity;
  private rmax = -Infinity;
  private skipped = 0;
  private readonly examples: string[] = [];
  private readonly maxLine: number;
  /** 1 + the stored-row index of the next row to locate (`count` equals it right after storing that row). */
  private wantNext = -1;
  private wantAt = 0;
  /** Where the rows of {@link ScanOptions.locateRows} were found. */
  readonly located: { line: number; column: number }[] = [];

  constructor(options: ScanOptions, capacity = 1 << 16) {
    this.o = options;
    const d = options.delimiter;
    this.d0 = d.charCodeAt(0);
    this.two = d.length === 2;
    this.d1 = this.two ? d.charCodeAt(1) : -1;
    const c = options.columns;
    const positions = [c.user, c.item, c.rating, c.timestamp ?? -1];
    this.need = Math.max(...positions) + 1;
    this.role = new Int8Array(this.need).fill(-1);
    positions.forEach((p, r) => {
      if (p >= 0) this.role[p] = r;
    });
    this.fs = new Int32Array(this.need + 1);
    this.fe = new Int32Array(this.need + 1);
    this.line = options.firstLine;
    this.users = new Int32Array(capacity);
    this.items = new Int32Array(capacity);
    this.ratings = new Float32Array(capacity);
    this.timestamps = c.timestamp === null ? null : new Float64Array(capacity);
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!(this.maxLine >= 1)) throw new UsageError(`maxLineBytes must be a positive number of bytes, got ${options.maxLineBytes}`);
    const want = options.locateRows;
    if (want && want.length > 0) this.wantNext = want[0] + 1;
  }

  /** Makes room for at least `n` rows (called with an estimate from the file size). */
  reserve(n: number): void {
    if (n <= this.users.length) return;
    const grow = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (k: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.users = grow(this.users, (k) => new Int32Array(k));
    this.items = grow(this.items, (k) => new Int32Array(k));
    this.ratings = grow(this.ratings, (k) => new Float32Array(k));
    if (this.timestamps) this.timestamps = grow(this.timestamps, (k) => new Float64Array(k));
  }

  private grow(): void {
    const cap = this.users.length;
    this.reserve(cap < 1 << 22 ? cap * 2 : Math.ceil(cap * 1.5));
  }

  private bad(reason: string, column: number): void {
    const where = { file: this.o.file, line: this.line, column };
    if (!this.o.skipBadRows) throw new DataError(reason, where);
    this.skipped++;
    if (this.examples.length < (this.o.maxExamples ?? 10)) this.examples.push(`${where.file}:${where.line}:${column}: ${reason}`);
  }

  /** The "too many fields" message (the column is where the first extra field starts). */
  private tooMany(found: number): string {
    const from = this.o.fieldsSource ? ` (${this.o.fieldsSource})` : '';
    return `expected ${this.o.maxFields} fields separated by ${JSON.stringify(this.o.delimiter)}${from}, found ${found}: extra fields start here (two rows merged by a lost line break?)`;
  }

  private tooLong(buf: Uint8Array, lineStart: number): never {
    const max = this.maxLine;
    throw new DataError(`line is longer than ${max} bytes (maxLineBytes): not a ratings file, or line breaks are missing`, {
      file: this.o.file,
      line: this.line,
      column: charColumn(buf, lineStart, lineStart + max),
    });
  }

  /** Byte offset where field `k` (0-based) of the line starts (error path only). */
  private fieldStart(buf: Uint8Array, s: number, e: number, k: number): number {
    const d0 = this.d0;
    let n = 0;
    for (let i = s; i < e; i++) {
      if (buf[i] !== d0) continue;
      if (this.two) {
        if (i + 1 >= e || buf[i + 1] !== this.d1) continue;
        i++;
      }
      if (++n === k) return i + 1;
    }
    return e;
  }

  /** Records where the wanted row (just stored) sits, and stops the scan after the last wanted one. */
  private found(column: number): void {
    this.located.push({ line: this.line, column });
    this.wantAt++;
    const want = this.o.locateRows!;
    if (this.wantAt >= want.length) throw new LocateDone();
    this.wantNext = want[this.wantAt] + 1;
  }

  /**
   * Consumes the complete lines in buf[start, end) (all of it when `final`) and returns where it stopped.
   */
  push(buf: Uint8Array, start: number, end: number, final: boolean): number {
    const d0 = this.d0;
    const d1 = this.d1;
    const two = this.two;
    const need = this.need;
    const maxFields = Math.min(this.o.maxFields, 0x3fffffff); // a small integer keeps the compare cheap
    const maxLine = this.maxLine;
    const fs = this.fs;
    const fe = this.fe;
    const role = this.role;
    const uc = this.userCoder;
    const ic = this.itemCoder;
    const tabDelim = d0 === 9;
    let pos = start;
    while (pos < end) {
      // nd counts every separator; field bounds are kept for the first `need` fields only
      let nd = 0;
      fs[0] = pos;
      let flags = 0;
      let flagAt = -1;
      let i = pos;
      let eol = -1;
      while (i < end) {
        const b = buf[i];
        if (b === 10) {
          eol = i;
          break;
        }
        if (b === d0) {
          if (!two) {
            if (nd < need) {
              fe[nd] = i;
              fs[nd + 1] = i + 1;
            }
            nd++;
          } else if (i + 1 < end && buf[i + 1] === d1) {
            if (nd < need) {
              fe[nd] = i;
              fs[nd + 1] = i + 2;
            }
            nd++;
            i += 2;
            continue;
          }
        } else if (b >= 128) {
          flags |= F_HIGH;
        } else if (b === 34) {
          flags |= F_QUOTE;
        } else if (b === 0) {
          if (!(flags & F_NUL)) flagAt = i;
          flags |= F_NUL;
        }
        i++;
      }
      if (eol < 0) {
        // no line end yet: stop early on an overlong line instead of buffering it whole
        if (end - pos > maxLine) this.tooLong(buf, pos);
        if (!final) break;
        eol = end;
      }
      let lineEnd = eol;
      if (lineEnd > pos && buf[lineEnd - 1] === 13) lineEnd--;
      const lineStart = pos;
      pos = eol + 1;
      if (lineEnd - lineStart > maxLine) this.tooLong(buf, lineStart);
      if (lineEnd === lineStart) {
        this.line++;
        continue;
      }
      if (flags !== 0) {
        if (flags & F_NUL) {
          throw new DataError('NUL byte: this looks like a binary file, not text', {
            file: this.o.file,
            line: this.line,
            column: flagAt - lineStart + 1,
          });
        }
        if (flags & F_HIGH && this.o.encoding === 'utf-8') {
          const p = utf8Problem(buf, lineStart, lineEnd);
          if (p) {
            this.bad(p.reason, charColumn(buf, lineStart, p.offset));
            this.line++;
            continue;
          }
        }
        if (flags & F_QUOTE) {
          this.slowLine(decodeBytes(buf, lineStart, lineEnd, this.o.encoding));
          this.line++;
          continue;
        }
      }
      if (nd < need) fe[nd] = lineEnd;
      if (nd + 1 < need) {
        this.bad(`expected at least ${need} fields separated by ${JSON.stringify(this.o.delimiter)}, found ${nd + 1}`, lineEnd - lineStart + 1);
        this.line++;
        continue;
      }
      if (nd >= maxFields) {
        this.bad(this.tooMany(nd + 1), charColumn(buf, lineStart, this.fieldStart(buf, lineStart, lineEnd, maxFields)));
        this.line++;
        continue;
      }
      let u = -1;
      let it = -1;
      let r = NaN;
      let t = 0;
      let badReason = '';
      let badCol = 0;
      for (let f = 0; f < need; f++) {
        const ro = role[f];
        if (ro < 0) continue;
        let s = fs[f];
        let e = fe[f];
        // trim blanks (and tabs, unless they separate fields)
        while (s < e && (buf[s] === 32 || (buf[s] === 9 && !tabDelim))) s++;
        while (e > s && (buf[e - 1] === 32 || (buf[e - 1] === 9 && !tabDelim))) e--;
        if (ro <= 1) {
          const v = parseId(buf, s, e);
          let code: number;
          if (v >= 0) code = ro === 0 ? uc.int(v) : ic.int(v);
          else if (s === e) {
            badReason = `empty ${this.name(ro)} id`;
            badCol = fs[f] - lineStart + 1;
            break;
          } else {
            const table = ro === 0 ? this.userBytes : this.itemBytes;
            const h = ByteIdTable.hashOf(buf, s, e);
            code = table.get(buf, s, e, h);
            if (code < 0) {
              const text = decodeBytes(buf, s, e, this.o.encoding);
              code = ro === 0 ? uc.str(text) : ic.str(text);
              table.set(buf, s, e, h, code);
            }
          }
          if (ro === 0) u = code;
          else it = code;
        } else {
          // plain decimals are parsed from the bytes; anything else goes through the strict text check
          let v = s < e ? parseDecimal(buf, s, e) : NaN;
          if (v !== v) {
            const text = decodeBytes(buf, s, e, this.o.encoding);
            const x = s < e ? textNumber(text, ro) : 'is not a number';
            if (typeof x === 'string') {
              badReason = `${this.name(ro)} ${JSON.stringify(text)} ${x}`;
              badCol = charColumn(buf, lineStart, s);
              break;
            }
            v = x;
          }
          if (ro === 2) r = v;
          else t = v;
        }
      }
      if (badReason !== '') {
        this.bad(badReason, badCol);
        this.line++;
        continue;
      }
      this.store(u, it, r, t);
      if (this.count === this.wantNext) this.found(charColumn(buf, lineStart, fs[this.o.columns.user]));
      this.line++;
    }
    return final ? end : pos;
  }

  private name(role: number): string {
    const n = this.o.columns.names;
    const plain = ['user', 'item', 'rating', 'timestamp'][role];
    if (!n) return plain;
    const named = [n.user, n.item, n.rating, n.timestamp][role];
    return named === plain ? plain : `${plain} (column ${JSON.stringify(named)})`;
  }

  private store(u: number, it: number, r: number, t: number): void {
    let k = this.count;
    if (k === this.users.length) this.grow();
    this.users[k] = u;
    this.items[k] = it;
    this.ratings[k] = r;
    if (this.timestamps) this.timestamps[k] = t;
    if (r < this.rmin) this.rmin = r;
    if (r > this.rmax) this.rmax = r;
    this.count = ++k;
  }

  /** Rows containing quotes go through a string splitter that honours CSV quoting. */
  private slowLine(text: string): void {
    const { fields, columns } = splitLine(text, this.o.delimiter);
    const c = this.o.columns;
    if (fields.length < this.need) {
      this.bad(`expected at least ${this.need} fields separated by ${JSON.stringify(this.o.delimiter)}, found ${fields.length}`, text.length + 1);
      return;
    }
    if (fields.length > this.o.maxFields) return this.bad(this.tooMany(fields.length), columns[this.o.maxFields]);
    const blanks = this.d0 === 9 ? / +$|^ +/g : /[ \t]+$|^[ \t]+/g;
    const trim = (k: number): string => fields[k].replace(blanks, '');
    const uText = trim(c.user);
    const iText = trim(c.item);
    if (uText === '') return this.bad(`empty ${this.name(0)} id`, columns[c.user]);
    if (iText === '') return this.bad(`empty ${this.name(1)} id`, columns[c.item]);
    const rText = trim(c.rating);
    const r = rText === '' ? 'is not a number' : textNumber(rText, 2);
    if (typeof r === 'string') return this.bad(`${this.name(2)} ${JSON.stringify(fields[c.rating])} ${r}`, columns[c.rating]);
    let t = 0;
    if (c.timestamp !== null) {
      const tText = trim(c.timestamp);
      const x = tText === '' ? 'is not a number' : textNumber(tText, 3);
      if (typeof x === 'string') return this.bad(`${this.name(3)} ${JSON.stringify(fields[c.timestamp])} ${x}`, columns[c.timestamp]);
      t = x;
    }
    this.store(this.userCoder.str(uText), this.itemCoder.str(iText), r, t);
    if (this.count === this.wantNext) this.found(columns[c.user]);
  }

  /** Builds sorted vocabularies, remaps the stored codes to vocabulary indices and returns the columns. */
  finish(): ScanResult {
    const n = this.count;
    if (n === 0) {
      const reason = this.skipped > 0 ? `no valid rating rows (${this.skipped} bad rows skipped; first: ${this.examples[0]})` : 'no rating rows found';
      throw new DataError(reason, { file: this.o.file, line: this.o.firstLine });
    }
    const users = this.users.subarray(0, n);
    const items = this.items.subarray(0, n);
    const uv = this.userCoder.finish();
    const iv = this.itemCoder.finish();
    const ur = uv.remap;
    const ir = iv.remap;
    for (let k = 0; k < n; k++) {
      users[k] = ur[users[k]];
      items[k] = ir[items[k]];
    }
    return {
      users,
      items,
      ratings: this.ratings.subarray(0, n),
      timestamps: this.timestamps ? this.timestamps.subarray(0, n) : null,
      userIds: uv.ids,
      itemIds: iv.ids,
      ratingMin: this.rmin,
      ratingMax: this.rmax,
      skipped: this.skipped,
      skippedExamples: this.examples,
      lines: this.line - 1,
    };
  }
}

/** Runs the kernel over bytes already in memory. @internal */
export function scanBytes(bytes: Uint8Array, options: ScanOptions, startByte = 0): ScanResult {
  // size the columns from the line density of the first 64 KiB
  const head = bytes.subarray(startByte, startByte + (1 << 16));
  let lines = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 10) lines++;
  const estimate = lines > 0 ? Math.ceil(((bytes.length - startByte) / head.length) * lines * 1.05) : 1;
  const scanner = new RatingScanner(options, Math.max(16, estimate + 16));
  scanner.push(bytes, startByte, bytes.length, true);
  return scanner.finish();
}

/**
 * Line and column (of the user field) of stored rows `rows` (ascending indices into the result of a
 * successful scan with the same options), found by scanning the bytes again. @internal
 */
export function locateInBytes(bytes: Uint8Array, options: ScanOptions, startByte: number, rows: readonly number[]): { line: number; column: number }[] {
  if (rows.length === 0) return [];
  const scanner = new RatingScanner({ ...options, locateRows: rows }, 1024);
  try {
    scanner.push(bytes, startByte, bytes.length, true);
  } catch (err) {
    if (!(err instanceof LocateDone)) throw err;
  }
  return scanner.located;
}
