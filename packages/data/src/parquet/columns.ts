import { DataError, UsageError } from '@collab-ts/core';
import { NAMES, type ColumnRef } from '../readers/layout.js';
import type { ParquetColumnInfo } from './source.js';

/** The rating roles, in the order errors are reported. */
export type Role = 'user' | 'item' | 'rating' | 'timestamp';

/** Which file column plays each role (names, since part files may order columns differently). @internal */
export interface RoleColumns {
  user: string;
  item: string;
  rating: string;
  timestamp: string | null;
}

const ID_TYPES = new Set(['int', 'long', 'string', 'binary', 'float', 'double', 'decimal']);
const NUMBER_TYPES = new Set(['int', 'long', 'float', 'double', 'decimal']);
const TIME_TYPES = new Set([...NUMBER_TYPES, 'timestamp', 'date', 'string']);
const norm = (s: string): string => s.trim().toLowerCase();

/**
 * Resolves the user, item, rating and timestamp columns of a Parquet file with the rules of the delimited
 * reader: a name (exact, else case-insensitive) or a 0-based position; by default the usual names
 * (user/userId/user_id, item/itemId/movieId, rating, timestamp), else positions 0, 1 and 2 when those
 * columns carry no other role's name; the timestamp only by name. Checks each column's type: ids integers
 * or strings, the rating a number, the timestamp a number, date, timestamp or text. @internal
 */
export function resolveRoles(
  columns: readonly ParquetColumnInfo[],
  file: string,
  refs: { user?: ColumnRef; item?: ColumnRef; rating?: ColumnRef; timestamp?: ColumnRef | null },
): RoleColumns {
  const names = columns.map((c) => c.name);
  const list = names.join(', ');
  const known = (n: string): boolean => Object.values(NAMES).some((ns) => ns.includes(norm(n)));
  const resolve = (role: Role, ref: ColumnRef | null | undefined, fallback: number | null): string | null => {
    if (ref === null) return null;
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0) throw new UsageError(`${role} column position must be a non-negative integer, got ${ref}`);
      if (ref >= names.length) throw new DataError(`no column at position ${ref} for ${role}: the file has ${names.length} columns (${list})`, { file });
      return names[ref];
    }
    if (typeof ref === 'string') {
      const hit = names.find((n) => n === ref) ?? names.find((n) => norm(n) === norm(ref));
      if (hit === undefined) throw new DataError(`no column named ${JSON.stringify(ref)} for ${role} (columns: ${list})`, { file });
      return hit;
    }
    const byName = names.find((n) => NAMES[role].includes(norm(n)));
    if (byName !== undefined) return byName;
    if (fallback === null) return null;
    if (fallback < names.length && !known(names[fallback])) return names[fallback];
    throw new DataError(`no ${role} column (looked for ${NAMES[role].slice(0, 3).join('/')}; columns: ${list})`, { file });
  };
  const roles: RoleColumns = {
    user: resolve('user', refs.user, 0)!,
    item: resolve('item', refs.item, 1)!,
    rating: resolve('rating', refs.rating, 2)!,
    timestamp: resolve('timestamp', refs.timestamp, null),
  };
  const chosen = [roles.user, roles.item, roles.rating, roles.timestamp].filter((x) => x !== null);
  if (new Set(chosen).size !== chosen.length) throw new UsageError('user, item, rating and timestamp must be different columns');
  checkTypes(columns, file, roles);
  return roles;
}

/** Fails with one line naming the file and column when a role's column has a type it cannot hold. */
export function checkTypes(columns: readonly ParquetColumnInfo[], file: string, roles: RoleColumns): void {
  const rules: [Role, Set<string>, string][] = [
    ['user', ID_TYPES, 'ids must be integers or strings'],
    ['item', ID_TYPES, 'ids must be integers or strings'],
    ['rating', NUMBER_TYPES, 'the rating column must be numeric (int, long, float, double or decimal)'],
    ['timestamp', TIME_TYPES, 'the timestamp column must be a number, a date, a timestamp or text'],
  ];
  for (const [role, allowed, why] of rules) {
    const name = roles[role];
    if (name === null) continue;
    const info = columns.find((c) => c.name === name);
    if (!info) throw new DataError(`no column named ${JSON.stringify(name)} for ${role} (columns: ${columns.map((c) => c.name).join(', ')})`, { file });
    if (!allowed.has(info.type)) {
      const what = role === 'rating' ? `holds ${info.type} values, not numbers` : `is ${info.type}`;
      throw new DataError(`column ${JSON.stringify(name)} (${role}) ${what}: ${why}`, { file });
    }
  }
}
