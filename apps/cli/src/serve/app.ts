import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { ErrorObject } from 'ajv';
import rateLimit from '@fastify/rate-limit';
import type { RatingColumns } from '@collab-ts/core';
import { recommendForUser, similarItems } from '@collab-ts/eval';
import type { ModelBundle } from '@collab-ts/models';
import { userItemIndex } from '@collab-ts/eval';
import { formatSchemaErrors, recommendQuery, scoreBody, similarQuery, validatorCompiler } from './schemas.js';
import type { ScoreBody } from './schemas.js';
import { DEFAULT_SCORE_CHUNK, scorePairs } from './score.js';
import { Gate } from './gate.js';

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
  /** Pairs of a POST /score scored between two yields to the event loop. */
  scoreChunk: number;
  /** Large POST /score bodies (over `largeBody` bytes, or of unknown length) read, parsed and scored at once; the others wait their turn. */
  largeScoreConcurrency: number;
  /** Body size in bytes above which a POST /score counts as large. */
  largeBody: number;
}

/**
 * Default limits: k up to 100, 10,000 pairs or 1 MiB per /score, 6,000 requests a minute per client; pairs are
 * scored 2,048 at a time, and two bodies over 64 KiB at most are parsed and scored at once.
 */
export const DEFAULT_LIMITS: ServeLimits = { maxK: 100, maxPairs: 10_000, bodyLimit: 1 << 20, ratePerMinute: 6000, scoreChunk: DEFAULT_SCORE_CHUNK, largeScoreConcurrency: 2, largeBody: 64 << 10 };

interface Failure {
  statusCode: number;
  error: string;
  message: string;
}

function fail(statusCode: number, message: string): Failure {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/**
 * The JSON API over a loaded model: `GET /recommend?user=&k=`, `GET /similar?item=&k=`, `POST /score` with
 * `{ pairs: [{ user, item }] }`, and `GET /health`. Inputs are validated by JSON schema (fastify/ajv); unknown
 * ids give 404 with the id; `seen` ratings, when given, are excluded from recommendations.
 */
export async function buildServer(bundle: ModelBundle, limits: Partial<ServeLimits> = {}, seen: RatingColumns | null = null): Promise<FastifyInstance> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const app = Fastify({ bodyLimit: lim.bodyLimit, logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) return reply.code(400).send(fail(400, formatSchemaErrors(err.validation as ErrorObject[], err.validationContext ?? 'body', req.body)));
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    return reply.code(status).send({ statusCode: status, ...(err.code ? { code: err.code } : {}), error: STATUS_CODES[status] ?? 'Error', message: err.message });
  });
  if (lim.ratePerMinute > 0) await app.register(rateLimit, { max: lim.ratePerMinute, timeWindow: 60_000 });
  const { model, users, items } = bundle;
  const factors = model.factors();
  const large = new Gate(lim.largeScoreConcurrency);
  const seenIndex = seen ? userItemIndex(seen, users.size) : null;

  app.get('/health', async () => ({ status: 'ok', model: model.kind, users: users.size, items: items.size, largeScores: { active: large.holders, queued: large.queued } }));

  app.get<{ Querystring: { user: string; k: number } }>(
    '/recommend',
    { schema: { querystring: recommendQuery(lim.maxK) } },
    async (req, reply) => {
      const u = users.tryEncode(req.query.user);
      if (u < 0) return reply.code(404).send(fail(404, `unknown user id ${JSON.stringify(req.query.user)}`));
      const exclude = seenIndex ? seenIndex.items.subarray(seenIndex.offsets[u], seenIndex.offsets[u + 1]) : undefined;
      const recs = recommendForUser(model, u, { k: req.query.k, exclude });
      return { user: req.query.user, recommendations: recs.map((r) => ({ item: items.decode(r.item), title: items.title(r.item), score: r.score })) };
    },
  );

  app.get<{ Querystring: { item: string; k: number } }>(
    '/similar',
    { schema: { querystring: similarQuery(lim.maxK) } },
    async (req, reply) => {
      if (!factors) return reply.code(400).send(fail(400, `a ${model.kind} model has no item factors to compare`));
      const i = items.tryEncode(req.query.item);
      if (i < 0) return reply.code(404).send(fail(404, `unknown item id ${JSON.stringify(req.query.item)}`));
      const sims = similarItems(factors, i, Math.min(req.query.k, items.size - 1));
      return { item: req.query.item, title: items.title(i), similar: sims.map((s) => ({ item: items.decode(s.index), title: items.title(s.index), similarity: s.score })) };
    },
  );

  app.post<{ Body: ScoreBody }>(
    '/score',
    {
      schema: { body: scoreBody(lim.maxPairs) },
      // Large bodies wait for a turn before they are read, so that however many clients post them, one turn of
      // the event loop holds at most `largeScoreConcurrency` JSON parses and scoring chunks: /health and small
      // requests are answered in between.
      preParsing: async (req, reply, payload) => {
        const length = Number(req.headers['content-length'] ?? Number.POSITIVE_INFINITY);
        if (!(length > lim.largeBody)) return payload;
        let release: (() => void) | null = null;
        let closed = false;
        reply.raw.once('close', () => {
          closed = true;
          release?.();
        });
        release = await large.acquire();
        if (closed) release();
        return payload;
      },
    },
    async (req, reply) => {
      const out = await scorePairs({ users, items, predict: (u, i) => model.predict(u, i) }, req.body.pairs, lim.scoreChunk, () => req.raw.socket.destroyed);
      if (!out.ok) return reply.code(out.status).send(fail(out.status, out.message));
      return reply.type('application/json; charset=utf-8').send(out.json);
    },
  );
  return app;
}
