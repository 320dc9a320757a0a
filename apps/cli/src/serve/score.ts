import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Vocabulary } from '@collab-ts/data';
import type { ScoreBody } from './schemas.js';

/**
 * Pairs scored between two yields to the event loop: about 0.3 ms of work for a 50-factor model. 2,048 cost
 * the same CPU within 5% but, with eight clients posting 10,000-pair bodies, doubled the median /health latency.
 */
export const DEFAULT_SCORE_CHUNK = 1024;

/** What scoring the pairs of one request needs from the model being served. */
export interface PairScorer {
  users: Vocabulary;
  items: Vocabulary;
  predict(users: Int32Array, items: Int32Array): Float32Array;
}

/** The JSON text of `{"scores": [...]}`, or the status and reason of a failure (499: the client went away). */
export type ScoreOutcome = { ok: true; json: string } | { ok: false; status: number; message: string };

/**
 * Scores the pairs of a POST /score body `chunk` pairs at a time (encode, predict, check, format), yielding to
 * the event loop between chunks so that health checks and small requests are answered while a large body is
 * scored; stops early when `cancelled()` says the client has gone. An unknown id answers 404 naming the pair;
 * a score that is not finite (NaN or infinite: a broken model) answers 500 naming the pair, and is never sent
 * as `null`. The response text is written here, chunk by chunk, rather than by one `JSON.stringify` of the
 * whole array.
 */
export async function scorePairs(scorer: PairScorer, pairs: ScoreBody['pairs'], chunk = DEFAULT_SCORE_CHUNK, cancelled: () => boolean = () => false): Promise<ScoreOutcome> {
  const { users, items } = scorer;
  const n = pairs.length;
  const u = new Int32Array(Math.min(chunk, n));
  const it = new Int32Array(Math.min(chunk, n));
  const parts: string[] = [];
  for (let start = 0; start < n; start += chunk) {
    if (start > 0) {
      await yieldToLoop();
      if (cancelled()) return { ok: false, status: 499, message: 'client closed the request' };
    }
    const m = Math.min(chunk, n - start);
    for (let k = 0; k < m; k++) {
      const p = pairs[start + k];
      u[k] = users.tryEncode(p.user);
      it[k] = items.tryEncode(p.item);
      if (u[k] < 0) return { ok: false, status: 404, message: `pairs[${start + k}]: unknown user id ${JSON.stringify(String(p.user))}` };
      if (it[k] < 0) return { ok: false, status: 404, message: `pairs[${start + k}]: unknown item id ${JSON.stringify(String(p.item))}` };
    }
    const scores = scorer.predict(m === u.length ? u : u.subarray(0, m), m === it.length ? it : it.subarray(0, m));
    for (let k = 0; k < m; k++) {
      if (!Number.isFinite(scores[k])) {
        const p = pairs[start + k];
        return { ok: false, status: 500, message: `the model produced a non-finite score (${scores[k]}) for pairs[${start + k}] (user ${JSON.stringify(String(p.user))}, item ${JSON.stringify(String(p.item))}); its weights may hold NaN or infinity` };
      }
    }
    parts.push(scores.join(','));
  }
  return { ok: true, json: `{"scores":[${parts.join(',')}]}` };
}
