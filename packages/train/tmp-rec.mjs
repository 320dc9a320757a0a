import { loadRatings } from '@collab-ts/data/node';
import { leaveLastOut } from '@collab-ts/data';
import { toInteractions, csrFromCoordinates } from '@collab-ts/core';
import { rankingMetrics } from '@collab-ts/eval';
import { fitRecommender } from '@collab-ts/models';
const { dataset: ds } = loadRatings('/work/shared/data/ml-100k');
const outer = leaveLastOut(ds.ratings, { k: 1 });
const which = process.argv[2] ?? 'valid';
const split = which === 'valid' ? leaveLastOut(outer.train, { k: 1 }) : outer;
const nU = ds.users.size, nI = ds.items.size;
const tr = toInteractions(split.train);
function weights(cols, half) {
  const n = cols.users.length; const idx = Array.from({length:n},(_,i)=>i);
  idx.sort((a,b)=> cols.users[a]-cols.users[b] || cols.timestamps[b]-cols.timestamps[a] || b-a);
  const w = new Float32Array(n); let prev=-1, r=0;
  for (const i of idx) { if (cols.users[i]!==prev){prev=cols.users[i]; r=0;} w[i]= half>0? Math.pow(0.5, r/half):1; r++; }
  return w;
}
for (const kind of (process.argv[3] ?? 'ease').split(',')) {
  const rec = await fitRecommender(kind, { train: tr, nUsers: nU, nItems: nI }, JSON.parse(process.argv[4] ?? '{}'));
  for (const half of [0, 3, 10, 30, 100]) {
    const w = weights(tr, half);
    rec.history = csrFromCoordinates(tr.users, tr.items, w, nU, nI);
    const m = rankingMetrics(rec, { train: split.train, test: split.valid, k: [10], threshold: null });
    console.log(which, kind, 'half', half, 'hit', m['hit@10'].toFixed(4), 'ndcg', m['ndcg@10'].toFixed(4));
  }
}
