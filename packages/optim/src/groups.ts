import { UsageError } from '@collab-ts/core';
import type { ParamStore } from '@collab-ts/core';
import type { ParamGroupSpec } from './types.js';

/** Parameter groups resolved against a store. */
export interface ResolvedGroups {
  /** Group index of each parameter, by name. */
  readonly groupOf: ReadonlyMap<string, number>;
  /** Learning-rate multiplier of each group. */
  readonly lrMults: readonly number[];
}

/**
 * Resolves `groups` against `params`: listed groups keep their order, and the parameters not listed in any
 * group form one final default group (multiplier 1) when there are any.
 * @throws UsageError for unknown names, a name in two groups, or a bad multiplier.
 */
export function resolveGroups(params: ParamStore, groups: ParamGroupSpec[] | undefined): ResolvedGroups {
  const groupOf = new Map<string, number>();
  const lrMults: number[] = [];
  for (const [gi, g] of (groups ?? []).entries()) {
    const mult = g.lrMult ?? 1;
    if (!Number.isFinite(mult) || mult < 0) throw new UsageError(`group ${gi}: lrMult must be a finite number >= 0, got ${mult}`);
    for (const name of g.params) {
      if (!params.has(name)) throw new UsageError(`group ${gi}: no parameter named ${JSON.stringify(name)}`);
      if (groupOf.has(name)) throw new UsageError(`parameter ${JSON.stringify(name)} is in more than one group`);
      groupOf.set(name, gi);
    }
    lrMults.push(mult);
  }
  const rest = params.list().filter((p) => !groupOf.has(p.name));
  if (rest.length > 0 || lrMults.length === 0) {
    const gi = lrMults.length;
    lrMults.push(1);
    for (const p of rest) groupOf.set(p.name, gi);
  }
  return { groupOf, lrMults };
}
