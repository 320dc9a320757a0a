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

/**
 * A filled {@link RecommendationTable} as the same CSV text {@link toCsv} gives for its rows, built without
 * a row object per recommendation: each user's and item's cells are decoded once (a table of every user of
 * MovieLens 25M holds 1.6 million rows).
 */
export function tableToCsv(table: RecommendationTable, vocabularies: CsvVocabularies = {}, options: CsvOptions = {}): string {
  const digits = options.digits ?? 4;
  const { users, items } = vocabularies;
  const titles = items?.hasTitles ?? false;
  const itemCells = new Map<number, string>();
  const itemCell = (i: number): string => {
    let c = itemCells.get(i);
    if (c === undefined) {
      c = field(items ? items.decode(i) : String(i));
      if (titles) c += `,${field(items!.title(i))}`;
      itemCells.set(i, c);
    }
    return c;
  };
  const { k, counts } = table;
  const parts: string[] = [titles ? 'user,rank,item,title,score\n' : 'user,rank,item,score\n'];
  for (let j = 0; j < table.users.length; j++) {
    const m = counts[j];
    if (m === 0) continue;
    const u = table.users[j];
    const userCell = field(users ? users.decode(u) : String(u));
    let chunk = '';
    for (let r = 0; r < m; r++) chunk += `${userCell},${r + 1},${itemCell(table.items[j * k + r])},${table.scores[j * k + r].toFixed(digits)}\n`;
    parts.push(chunk);
  }
  return parts.join('');
}
