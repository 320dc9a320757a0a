import type { Vocabulary } from '@collab-ts/core';
import type { RecommendationRow } from './recommend-all.js';

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
