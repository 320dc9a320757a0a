import type { Vocabulary } from '@collab-ts/core';
import type { RecommendationRow, RecommendationTable } from './recommend-all.js';

/** The vocabularies that turn indices back into raw ids (and item titles). */
export interface CsvVocabularies {
  users?: Vocabulary;
  items?: Vocabulary;
}

/** Options of {@link toCsv}. */
export interface CsvOptions {
  /** Decimal places of the score (default 4). */
  digits?: number;
}

function field(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Recommendation rows as CSV (RFC 4180 quoting, `\n` line ends): columns `user,rank,item,score`, plus
 * `title` when the item vocabulary has titles. Indices are decoded to raw ids when the vocabularies are given.
 */
export function toCsv(rows: readonly RecommendationRow[], vocabularies: CsvVocabularies = {}, options: CsvOptions = {}): string {
  const digits = options.digits ?? 4;
  const { users, items } = vocabularies;
  const titles = items?.hasTitles ?? false;
  const lines = [titles ? 'user,rank,item,title,score' : 'user,rank,item,score'];
  for (const r of rows) {
    const cells = [users ? users.decode(r.user) : String(r.user), String(r.rank), items ? items.decode(r.item) : String(r.item)];
    if (titles) cells.push(items!.title(r.item));
    cells.push(r.score.toFixed(digits));
    lines.push(cells.map(field).join(','));
  }
  return lines.join('\n') + '\n';
}

/** A growing byte buffer (UTF-8 text), so a large CSV is built without a string per row. */
class ByteSink {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  put(b: Uint8Array): void {
    this.reserve(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }

  /** Appends a string of ASCII characters (numbers, separators). */
  ascii(s: string): void {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.bytes[this.length++] = s.charCodeAt(i);
  }
}

/**
 * A filled {@link RecommendationTable} as the UTF-8 bytes of the CSV that {@link toCsv} writes for its rows,
 * built without a string or row object per recommendation: each user's and item's cells are encoded once
 * (a table of every user of MovieLens 25M holds 1.6 million rows).
 */
export function tableToCsvBytes(table: RecommendationTable, vocabularies: CsvVocabularies = {}, options: CsvOptions = {}): Uint8Array {
  const digits = options.digits ?? 4;
  const { users, items } = vocabularies;
  const titles = items?.hasTitles ?? false;
  const enc = new TextEncoder();
  const itemCells = new Map<number, Uint8Array>();
  const out = new ByteSink();
  out.ascii(titles ? 'user,rank,item,title,score\n' : 'user,rank,item,score\n');
  const { k, counts } = table;
  for (let j = 0; j < table.users.length; j++) {
    const m = counts[j];
    if (m === 0) continue;
    const u = table.users[j];
    const userCell = enc.encode(`${field(users ? users.decode(u) : String(u))},`);
    for (let r = 0; r < m; r++) {
      const item = table.items[j * k + r];
      let cell = itemCells.get(item);
      if (cell === undefined) {
        let text = `,${field(items ? items.decode(item) : String(item))}`;
        if (titles) text += `,${field(items!.title(item))}`;
        cell = enc.encode(`${text},`);
        itemCells.set(item, cell);
      }
      out.put(userCell);
      out.ascii(String(r + 1));
      out.put(cell);
      out.ascii(table.scores[j * k + r].toFixed(digits));
      out.ascii('\n');
    }
  }
  return out.bytes.subarray(0, out.length);
}

/** {@link tableToCsvBytes} as a string: the same text {@link toCsv} gives for the table's rows. */
export function tableToCsv(table: RecommendationTable, vocabularies: CsvVocabularies = {}, options: CsvOptions = {}): string {
  return new TextDecoder().decode(tableToCsvBytes(table, vocabularies, options));
}
