import { loadRatings } from '@collab-ts/data/node';
import { leaveLastOut } from '@collab-ts/data';
import { toInteractions } from '@collab-ts/core';
import { rankingMetrics } from '@collab-ts/eval';
import { fitRecommender } from '@collab-ts/models';
const { dataset: ds } = loadRatings('/work/shared/data/ml-100k');
const outer = leaveLastOut(ds.ratings, { k: 1 });
const which = process.argv[2];
const split = which === 'valid' ? leaveLastOut(outer.train, { k: 1 }) : outer;
for (const spec of process.argv.slice(3)) {
  const [kind, json] = spec.split(':');
  const opts = JSON.parse(json ?? '{}');
  const t0 = performance.now();
  const rec = await fitRecommender(kind, { train: toInteractions(split.train), nUsers: ds.users.size, nItems: ds.items.size }, opts);
  const t = (performance.now() - t0) / 1000;
  const m = rankingMetrics(rec, { train: split.train, test: split.valid, k: [10], threshold: null });
  console.log(which, kind, JSON.stringify(opts), 'hit', m['hit@10'].toFixed(4), 'ndcg', m['ndcg@10'].toFixed(4), t.toFixed(2) + 's');
}
