import { checkIndexRange } from '@collab-ts/core';
import type { Recommender } from '@collab-ts/core';
import type { FitContext, FitData } from './family.js';
import { getFamily, resolveFamilyOptions } from './registry.js';

/**
 * Fits a recommender of any registered family on interactions or ratings: the options are checked and
 * completed with the family's defaults, then the family fits. Families trained by gradient descent need
 * `ctx.trainGradient`; `trainRecommender` in `@collab-ts/train` supplies it, so use that one for them.
 *
 * @example
 * const rec = await fitRecommender('ease', { train, nUsers, nItems }, { lambda: 100 });
 * rec.recommend(0, { k: 10 });
 * @throws UsageError for an unknown kind, unknown or bad options, or out-of-range indices.
 */
export async function fitRecommender(kind: string, data: FitData, options: Readonly<Record<string, unknown>> = {}, ctx: FitContext = {}): Promise<Recommender> {
  const spec = getFamily(kind);
  checkIndexRange(data.train.users, data.train.items, data.nUsers, data.nItems, `${kind} fit`);
  const resolved = resolveFamilyOptions(spec, options);
  return spec.fit(data, resolved, ctx);
}
