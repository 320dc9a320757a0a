import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { RatingColumns } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import type { ModelBundle } from '@collab-ts/models';
import { userItemIndex } from '@collab-ts/eval';

/** Limits of the HTTP API; every request beyond them gets a 4xx with a reason. */
export interface ServeLimits {
  /** Largest `k` for /recommend and /similar. */
  maxK: number;
  /** Most (user, item) pairs in one POST /score. */
  maxPairs: number;
  /** Largest request body in bytes. */
  bodyLimit: number;
  /** Requests per minute per client address; 0 for no limit. */
  ratePerMinute: number;
}

/** Default limits: k up to 100, 10,000 pairs or 1 MiB per /score, 6,000 requests a minute per client. */
export const DEFAULT_LIMITS: ServeLimits = { maxK: 100, maxPairs: 10_000, bodyLimit: 1 << 20, ratePerMinute: 6000 };

interface Failure {
  statusCode: number;
  error: string;
  message: string;
}

function fail(statusCode: number, message: string): Failure {
  return { statusCode, error: statusCode === 404 ? 'Not Found' : 'Bad Request', message };
}

/**
 * The JSON API over a loaded model: `GET /recommend?user=&k=`, `GET /similar?item=&k=`, `POST /score` with
 * `{ pairs: [{ user, item }] }`, and `GET /health`. Inputs are validated by JSON schema (fastify/ajv); unknown
 * ids give 404 with the id; each user's training history saved with the model (and `seen` ratings, when
 * given) is excluded from recommendations unless `includeSeen`. Works for every model family.
 */
export async function buildServer(
  bundle: ModelBundle,
  limits: Partial<ServeLimits> = {},
  seen: RatingColumns | null = null,
  options: { includeSeen?: boolean } = {},
): Promise<FastifyInstance> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const app = Fastify({ bodyLimit: lim.bodyLimit, logger: false });
  if (lim.ratePerMinute > 0) await app.register(rateLimit, { max: lim.ratePerMinute, timeWindow: 60_000 });
  const { model, users, items } = bundle;
  const seenIndex = seen ? userItemIndex(seen, users.size) : null;
  const kSchema = { type: 'integer', minimum: 1, maximum: lim.maxK, default: 10 };

  app.get('/health', async () => ({ status: 'ok', model: model.kind, users: users.size, items: items.size }));

  app.get<{ Querystring: { user: string; k: number } }>(
    '/recommend',
    { schema: { querystring: { type: 'object', required: ['user'], properties: { user: { type: 'string', minLength: 1 }, k: kSchema } } } },
    async (req, reply) => {
      const u = users.tryEncode(req.query.user);
      if (u < 0) return reply.code(404).send(fail(404, `unknown user id ${JSON.stringify(req.query.user)}`));
      const exclude = seenIndex ? seenIndex.items.subarray(seenIndex.offsets[u], seenIndex.offsets[u + 1]) : undefined;
      const recs = model.recommend(u, { k: req.query.k, exclude, includeSeen: options.includeSeen });
      return { user: req.query.user, recommendations: recs.map((r) => ({ item: items.decode(r.item), title: items.title(r.item), score: r.score })) };
    },
  );

  app.get<{ Querystring: { item: string; k: number } }>(
    '/similar',
    { schema: { querystring: { type: 'object', required: ['item'], properties: { item: { type: 'string', minLength: 1 }, k: kSchema } } } },
    async (req, reply) => {
      const i = items.tryEncode(req.query.item);
      if (i < 0) return reply.code(404).send(fail(404, `unknown item id ${JSON.stringify(req.query.item)}`));
      let sims;
      try {
        sims = model.similarItems(i, Math.min(req.query.k, items.size - 1));
      } catch (err) {
        if (err instanceof UsageError) return reply.code(400).send(fail(400, err.message));
        throw err;
      }
      return { item: req.query.item, title: items.title(i), similar: sims.map((s) => ({ item: items.decode(s.item), title: items.title(s.item), similarity: s.score })) };
    },
  );

  app.post<{ Body: { pairs: { user: string | number; item: string | number }[] } }>(
    '/score',
    {
      schema: {
        body: {
          type: 'object',
          required: ['pairs'],
          properties: {
            pairs: {
              type: 'array',
              minItems: 1,
              maxItems: lim.maxPairs,
              items: { type: 'object', required: ['user', 'item'], properties: { user: { type: ['string', 'number'] }, item: { type: ['string', 'number'] } } },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const { pairs } = req.body;
      const u = new Int32Array(pairs.length);
      const it = new Int32Array(pairs.length);
      for (let k = 0; k < pairs.length; k++) {
        u[k] = users.tryEncode(pairs[k].user);
        it[k] = items.tryEncode(pairs[k].item);
        if (u[k] < 0) return reply.code(404).send(fail(404, `pairs[${k}]: unknown user id ${JSON.stringify(String(pairs[k].user))}`));
        if (it[k] < 0) return reply.code(404).send(fail(404, `pairs[${k}]: unknown item id ${JSON.stringify(String(pairs[k].item))}`));
      }
      return { scores: Array.from(model.predict(u, it)) };
    },
  );
  return app;
}
