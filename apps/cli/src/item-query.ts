import type { Vocabulary } from '@collab-ts/data';

/** How many candidates an ambiguous item query lists. */
export const MAX_CANDIDATES = 10;

/** The outcome of {@link resolveItem}: the item, or why there is none (with the candidates when ambiguous). */
export type ItemQueryResult =
  | { readonly kind: 'found'; readonly index: number }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly number[] };

/**
 * Resolves what a user typed for an item, as `similar --item`, `recommend --ratings` and `serve`'s `/similar`
 * all do: an exact raw id first, then an exact title (case-insensitive), then the one title that contains
 * the query. Several matching titles (or several items sharing the exact title) are ambiguous: nothing is
 * picked silently.
 */
export function resolveItem(items: Vocabulary, query: string): ItemQueryResult {
  const byId = items.tryEncode(query);
  if (byId >= 0) return { kind: 'found', index: byId };
  const matches = items.findTitles(query);
  if (matches.length === 0) return { kind: 'unknown' };
  if (matches.length === 1) return { kind: 'found', index: matches[0] };
  return { kind: 'ambiguous', candidates: matches };
}

/** A person-readable list of candidates (`  <id>  <title>`, at most {@link MAX_CANDIDATES}, then a count of the rest). */
export function describeCandidates(items: Vocabulary, candidates: readonly number[]): string {
  const lines = candidates.slice(0, MAX_CANDIDATES).map((i) => `  ${items.decode(i).padStart(6)}  ${items.title(i)}`);
  if (candidates.length > MAX_CANDIDATES) lines.push(`  ... and ${candidates.length - MAX_CANDIDATES} more`);
  return lines.join('\n');
}
