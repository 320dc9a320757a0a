// Seeded fuzz of the ratings readers (issue 10). Small MovieLens-style samples (u.data, ratings.csv with a
// header, ratings.dat with `::`) get one line damaged at a time: byte flips, dropped or doubled line
// breaks, inserted separators, huge numbers, hex, NaN, empty fields, truncation. Each damaged input must
// either fail with a DataError at `name:line:column` of a damaged line, or give exactly the ratings of the
// untouched lines plus what an independent line parser makes of the damaged ones (then deduplicated the
// way the readers' default policy does: the last by timestamp, ties to the later row).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '@collab-ts/core';
import { makeTmp } from '../test-helpers.js';
import { readMovieLens100k } from '../node/read-movielens-100k.js';
import { readMovieLensCsv } from '../node/read-movielens-csv.js';
import { readMovieLensDat } from '../node/read-movielens-dat.js';
import { parseDelimited } from './delimited.js';
import { parseMovieLens100k } from './movielens-100k.js';
import type { RatingsDataset } from '../dataset.js';

const CASES = 400;
const tmp = makeTmp('collab-fuzz-');
afterAll(() => tmp.cleanup());

/** mulberry32: a tiny seeded generator, independent of the code under test. */
function rng(seed: number): { int: (n: number) => number; pick: <T>(a: readonly T[]) => T } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { int, pick: (arr) => arr[int(arr.length)] };
}

type Row = [user: string, item: string, rating: number, timestamp: number];

interface Format {
  name: string;
  delimiter: string;
  header: string | null;
  encoding: 'utf-8' | 'latin1';
  /** Writes a rating as the format does. */
  rating: (r: number) => string;
  /** Reads the bytes through one of the format's readers; `name` prefixes error messages. */
  read: (bytes: Uint8Array, viaFile: boolean) => { ds: RatingsDataset; name: string } | { error: unknown; name: string };
}

function attempt(name: string, fn: () => RatingsDataset): { ds: RatingsDataset; name: string } | { error: unknown; name: string } {
  try {
    return { ds: fn(), name };
  } catch (error) {
    return { error, name };
  }
}

const FORMATS: Format[] = [
  {
    name: 'u.data',
    delimiter: '\t',
    header: null,
    encoding: 'latin1',
    rating: (r) => String(Math.ceil(r)),
    read(bytes, viaFile) {
      if (!viaFile) return attempt('fuzz/u.data', () => parseMovieLens100k({ 'u.data': bytes }, { name: 'fuzz' }));
      const file = tmp.write('ml-100k/u.data', bytes);
      return attempt(file, () => readMovieLens100k(join(tmp.dir, 'ml-100k')));
    },
  },
  {
    name: 'ratings.csv',
    delimiter: ',',
    header: 'userId,movieId,rating,timestamp',
    encoding: 'utf-8',
    rating: (r) => r.toFixed(1),
    read(bytes, viaFile) {
      if (!viaFile) {
        const opts = { name: 'fuzz.csv', delimiter: ',', header: true, user: 'userId', item: 'movieId', rating: 'rating', timestamp: 'timestamp' } as const;
        return attempt('fuzz.csv', () => parseDelimited(bytes, opts));
      }
      const file = tmp.write('ml-latest/ratings.csv', bytes);
      return attempt(file, () => readMovieLensCsv(join(tmp.dir, 'ml-latest')));
    },
  },
  {
    name: 'ratings.dat',
    delimiter: '::',
    header: null,
    encoding: 'latin1',
    rating: (r) => String(Math.ceil(r)),
    read(bytes, viaFile) {
      if (!viaFile) return attempt('fuzz.dat', () => parseDelimited(bytes, { name: 'fuzz.dat', delimiter: '::', header: false, encoding: 'latin1' }));
      const file = tmp.write('ml-1m/ratings.dat', bytes);
      return attempt(file, () => readMovieLensDat(join(tmp.dir, 'ml-1m')));
    },
  },
];

const enc = new TextEncoder();
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

// --- the independent line parser: what a correct reader must make of one physical line ---------------
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

type Parsed = { blank: true } | { bad: true } | { row: Row };

function parseLine(bytes: Uint8Array, f: Format): Parsed {
  let b = bytes;
  if (b.length > 0 && b[b.length - 1] === 13) b = b.subarray(0, b.length - 1);
  if (b.length === 0) return { blank: true };
  if (b.includes(0)) return { bad: true };
  let text: string;
  try {
    text = new TextDecoder(f.encoding, { fatal: true }).decode(b);
  } catch {
    return { bad: true };
  }
  if (f.encoding === 'utf-8' && text.includes('\ufffd')) return { bad: true };
  const fields = text.split(f.delimiter);
  if (fields.length !== 4) return { bad: true };
  const blank = f.delimiter === '\t' ? / /g : /[ \t]/g;
  const trim = (s: string): string => {
    let a = 0;
    let e = s.length;
    while (a < e && s[a].replace(blank, '') === '') a++;
    while (e > a && s[e - 1].replace(blank, '') === '') e--;
    return s.slice(a, e);
  };
  const [u, i, r, t] = fields.map(trim);
  if (u === '' || i === '') return { bad: true };
  if (!DECIMAL.test(r) || !Number.isFinite(Math.fround(Number(r)))) return { bad: true };
  let ts: number;
  if (DECIMAL.test(t) && Number.isFinite(Number(t))) ts = Number(t);
  else if (ISO_DATE.test(t) && Number.isFinite(Date.parse(t))) ts = Date.parse(t) / 1000;
  else return { bad: true };
  return { row: [u, i, Math.fround(Number(r)), ts] };
}

/** The readers' default duplicates policy: one row per pair, the last by timestamp (ties: later row). */
function dedupeLast(rows: Row[]): Row[] {
  const win = new Map<string, number>();
  rows.forEach((r, k) => {
    const key = JSON.stringify([r[0], r[1]]);
    const w = win.get(key);
    if (w === undefined || r[3] >= rows[w][3]) win.set(key, k);
  });
  const keep = new Set(win.values());
  return rows.filter((_, k) => keep.has(k));
}

// --- samples and mutations -----------------------------------------------------------------------------
function sample(f: Format, g: ReturnType<typeof rng>): { lines: string[]; rows: Row[] } {
  const n = 4 + g.int(6);
  const seen = new Set<string>();
  const rows: Row[] = [];
  while (rows.length < n) {
    const u = String(1 + g.int(12));
    const i = String(1 + g.int(300));
    if (seen.has(`${u}/${i}`)) continue;
    seen.add(`${u}/${i}`);
    rows.push([u, i, (1 + g.int(10)) / 2, 874_000_000 + g.int(20_000_000)]);
  }
  const lines = rows.map((r) => [r[0], r[1], f.rating(r[2]), String(r[3])].join(f.delimiter));
  return { lines, rows: rows.map((r) => [r[0], r[1], Number(f.rating(r[2])), r[3]]) };
}

const BYTES = [...'0123456789.-+eExa :|,\t\r\n'].map((c) => c.charCodeAt(0)).concat([0, 0xff, 0xe9, 0xc3]);
const HUGE = ['1e300', '1e39', '-1e39', '3.4e38', '1e-400', '123456789012345678901234567890', '9'.repeat(400)];
const HEX = ['0x10', '0X1f', '0b101', '0o7', '-0x5'];
const NOT_NUMBERS = ['NaN', 'nan', 'Infinity', '-Infinity', 'inf'];
const ODD_VALID = ['-3', '+4.5', '.5', '5.', '4.5e0', '1e1', '045'];
const DATES = ['2005-04-02', '2005-04-02T23:53:46Z', '5.5.5', '12-3', '1 2'];

interface Mutation {
  kind: string;
  /** Bytes that replace data line k (may hold line breaks); null: the line is kept. */
  chunk: Uint8Array;
  /** How many original lines the chunk replaces (2 when two lines are merged). */
  span: number;
  /** The file ends with the chunk (truncation). */
  truncated: boolean;
}

function replaceField(line: string, f: Format, field: number, value: string): string {
  const parts = line.split(f.delimiter);
  parts[field] = value;
  return parts.join(f.delimiter);
}

const KINDS = ['flip', 'flip', 'flip', 'drop-newline', 'double-newline', 'separator', 'huge', 'hex', 'nan', 'empty', 'truncate', 'odd-valid', 'date'];

function mutate(lines: string[], k: number, kind: string, f: Format, g: ReturnType<typeof rng>): Mutation {
  const line = enc.encode(lines[k]);
  const text = (s: string): Mutation => ({ kind, chunk: enc.encode(s), span: 1, truncated: false });
  switch (kind) {
    case 'flip': {
      const b = line.slice();
      b[g.int(b.length)] = g.pick(BYTES);
      return { kind, chunk: b, span: 1, truncated: false };
    }
    case 'drop-newline':
      if (k + 1 < lines.length) return { kind, chunk: concat(line, enc.encode(lines[k + 1])), span: 2, truncated: false };
      return text(lines[k] + lines[k]);
    case 'double-newline':
      return text(`${lines[k]}\n`);
    case 'separator': {
      const p = g.int(line.length + 1);
      return { kind, chunk: concat(line.subarray(0, p), enc.encode(f.delimiter), line.subarray(p)), span: 1, truncated: false };
    }
    case 'huge':
      return text(replaceField(lines[k], f, g.pick([2, 2, 3]), g.pick(HUGE)));
    case 'hex':
      return text(replaceField(lines[k], f, g.int(4), g.pick(HEX)));
    case 'nan':
      return text(replaceField(lines[k], f, g.int(4), g.pick(NOT_NUMBERS)));
    case 'empty':
      return text(replaceField(lines[k], f, g.int(4), g.pick(['', ' '])));
    case 'truncate':
      return { kind, chunk: line.subarray(0, g.int(line.length)), span: lines.length - k, truncated: true };
    case 'odd-valid':
      return text(replaceField(lines[k], f, 2, g.pick(ODD_VALID)));
    default:
      return text(replaceField(lines[k], f, 3, g.pick(DATES)));
  }
}

function decodedRows(ds: RatingsDataset): Row[] {
  const r = ds.ratings;
  return Array.from(r.ratings, (v, i) => [ds.users.decode(r.users[i]), ds.items.decode(r.items[i]), v, r.timestamps![i]]);
}

describe(`fuzzed ratings files (${CASES} seeded cases)`, () => {
  it('every damaged input fails at a damaged line:column, or reads exactly as the untouched rows plus what the damaged lines say', () => {
    const g = rng(20_240_610);
    const outcomes = { error: 0, read: 0, readWithDamagedRow: 0 };
    const failures: string[] = [];
    const byKind = new Map<string, number>();
    for (let c = 0; c < CASES; c++) {
      const f = FORMATS[c % FORMATS.length];
      const viaFile = g.int(3) === 0;
      const { lines, rows } = sample(f, g);
      const kind = g.pick(KINDS);
      // truncation keeps at least one line before the damaged one, so the file never ends up empty
      const k = kind === 'truncate' ? 1 + g.int(lines.length - 1) : g.int(lines.length);
      const m = mutate(lines, k, kind, f, g);
      byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
      // assemble the file and, line by line, what a correct reader must return
      const parts: Uint8Array[] = [];
      let lineNo = 0;
      if (f.header) {
        parts.push(enc.encode(`${f.header}\n`));
        lineNo++;
      }
      const expected: Row[] = [];
      const damaged: number[] = [];
      let firstBad = -1;
      let damagedRow = false;
      for (let j = 0; j < lines.length; j++) {
        if (j === k) {
          parts.push(m.truncated ? m.chunk : concat(m.chunk, enc.encode('\n')));
          let from = 0;
          const chunk = m.chunk;
          for (let p = 0; p <= chunk.length; p++) {
            if (p < chunk.length && chunk[p] !== 10) continue;
            lineNo++;
            damaged.push(lineNo);
            const got = parseLine(chunk.subarray(from, p), f);
            if ('bad' in got && firstBad < 0) firstBad = lineNo;
            if ('row' in got) {
              expected.push(got.row);
              damagedRow = true;
            }
            from = p + 1;
          }
          if (m.truncated) break;
          j += m.span - 1;
          continue;
        }
        parts.push(enc.encode(`${lines[j]}\n`));
        lineNo++;
        expected.push(rows[j]);
      }
      const bytes = concat(...parts);
      const got = f.read(bytes, viaFile);
      const context = `case ${c} (${f.name}, ${viaFile ? 'file' : 'memory'}, ${m.kind} on data line ${k + 1}):\n${new TextDecoder('latin1').decode(bytes)}`;
      const fail = (why: string): void => void failures.push(`${context}\n=> ${why}`);
      if ('error' in got) {
        outcomes.error++;
        const msg = got.error instanceof Error ? got.error.message : String(got.error);
        const at = new RegExp(`^${got.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+): `).exec(msg);
        if (!(got.error instanceof DataError)) fail(`not a DataError: ${msg}`);
        else if (!at) fail(`no name:line:column in ${JSON.stringify(msg)}`);
        else if (firstBad < 0) fail(`failed on valid input: ${msg}`);
        else if (Number(at[1]) !== firstBad || !damaged.includes(firstBad)) fail(`failed at line ${at[1]}, expected line ${firstBad}: ${msg}`);
        else if (Number(at[2]) < 1) fail(`column ${at[2]}`);
      } else {
        outcomes.read++;
        if (damagedRow) outcomes.readWithDamagedRow++;
        const want = dedupeLast(expected);
        const have = decodedRows(got.ds);
        if (firstBad > 0) fail(`accepted bad line ${firstBad}: read ${JSON.stringify(have)}`);
        else if (JSON.stringify(have) !== JSON.stringify(want)) fail(`read ${JSON.stringify(have)}\nexpected ${JSON.stringify(want)}`);
      }
    }
    expect(failures.slice(0, 3), `${failures.length} of ${CASES} damaged inputs read wrong or failed wrong`).toEqual([]);
    // the fuzz is only worth something if both outcomes are common and every mutation ran
    expect(outcomes.error).toBeGreaterThan(CASES / 5);
    expect(outcomes.read).toBeGreaterThan(CASES / 5);
    expect(outcomes.readWithDamagedRow).toBeGreaterThan(CASES / 10);
    expect(byKind.size).toBe(new Set(KINDS).size);
  });
});
