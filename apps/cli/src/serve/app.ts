import { STATUS_CODES } from 'node:http';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { ErrorObject } from 'ajv';
import { UsageError } from '@collab-ts/core';
import type { FactorTables, RatingColumns } from '@collab-ts/core';
import { recommendForUser, similarItems } from '@collab-ts/eval';
import type { ModelBundle } from '@collab-ts/models';
import { MAX_CANDIDATES, resolveItem } from '../item-query.js';
import { annRecommend } from './ann/served-ann.js';
import { checkBearer } from './auth.js';
import type { JsonLog } from './access-log.js';
import { Gate } from './gate.js';
import { hiddenFor } from './hidden.js';
import { ModelSlot } from './model-slot.js';
import type { ServedModel } from './model-slot.js';
import { formatSchemaErrors, recommendQuery, scoreBody, similarQuery, validatorCompiler } from './schemas.js';
import type { ScoreBody } from './schemas.js';
import { DEFAULT_SCORE_CHUNK, scorePairs } from './score.js';

/** Limits of the HTTP API; every request beyond them gets a 4xx with a reason. */
export interface ServeLimits {
  /** Largest `k` for /recommend and /similar. */
  maxK: number;
  /** Most (user, item) pairs in one POST /score (more: 400). */
  maxPairs: number;
  /** Largest request body in bytes (more: 413). */
  bodyLimit: number;
  /** Requests per minute per client address; 0 for no limit. */
  ratePerMinute: number;
  /** Pairs of a POST /score scored between two yields to the event loop. */
  scoreChunk: number;
  /** Large POST /score bodies (over `largeBody` characters) parsed and scored at once; the others wait their turn, received but unparsed. */
  largeScoreConcurrency: number;
  /** Body size in characters above which a POST /score counts as large. */
  largeBody: number;
}

/**
 * Default limits: k up to 100, 10,000 pairs or 1 MiB per /score, 6,000 requests a minute per client; pairs are
 * scored 1,024 at a time, and one body over 64 KiB at a time is parsed and scored (the others wait, received).
 */
export const DEFAULT_LIMITS: ServeLimits = { maxK: 100, maxPairs: 10_000, bodyLimit: 1 << 20, ratePerMinute: 6000, scoreChunk: DEFAULT_SCORE_CHUNK, largeScoreConcurrency: 1, largeBody: 64 << 10 };

/** How the server is exposed: limits, and what a deployer sets (token, CORS, access log). */
export interface ServeOptions extends Partial<ServeLimits> {
  /**
   * Bearer token required on every route but /health (401 with `WWW-Authenticate: Bearer` without it). It also
   * enables `POST /admin/reload`, which answers 403 when no token is set.
   */
  token?: string | null;
  /** Origins allowed to call the API from a browser: `'*'` or a list (`https://app.example.com`); none by default. */
  cors?: '*' | string[] | null;
  /** Where to write one JSON line per request (`time`, `method`, `url`, `status`, `ms`). */
  accessLog?: JsonLog | null;
  /** Recommend items users have already rated (by default the model's training history and the seen ratings are hidden). */
  includeSeen?: boolean;
}

/** Whether item `i`'s factor vector is finite. */
function finiteRow(f: FactorTables, i: number): boolean {
  for (let j = i * f.dim; j < (i + 1) * f.dim; j++) if (!Number.isFinite(f.itemFactors[j])) return false;
  return true;
}

/** A request's turn at the large-body gate: released when its response ends, even if that comes first. */
class Turn {
  private release: (() => void) | null = null;
  private ended = false;

  hold(release: () => void): void {
    if (this.ended) release();
    else this.release = release;
  }

  end(): void {
    this.ended = true;
    this.release?.();
  }
}

interface Failure {
  statusCode: number;
  error: string;
  message: string;
}

function fail(statusCode: number, message: string): Failure {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** Parses `--cors`: `*`, or a comma-separated list of origins (`scheme://host[:port]`). */
export function parseCorsOrigins(value: string): '*' | string[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 1 && list[0] === '*') return '*';
  if (!list.length) throw new Error('--cors needs "*" or a comma-separated list of origins');
  for (const o of list) {
    if (!/^https?:\/\/[^/\s?#]+$/.test(o)) throw new Error(`--cors: ${JSON.stringify(o)} is not an origin (scheme://host[:port], no path), nor "*"`);
  }
  return list;
}

/**
 * The JSON API over a model: `GET /recommend?user=&k=`, `GET /similar?item=&k=` (an item id or a title, exact
 * or a part that only one title contains, as `collab similar --item`), `POST /score` with
 * `{ pairs: [{ user, item }] }`, `GET /health`, and `POST /admin/reload` when a token is set.
 *
 * `model` is either a bundle (with the `seen` ratings to hide from recommendations) or a {@link ModelSlot},
 * which can reload its model while the server runs: each request holds the model it started with until it
 * ends. Inputs are validated by JSON schema (no type coercion of bodies); unknown ids give 404 with the id, an
 * ambiguous title 400 with up to 10 `candidates`; a model that produces a non-finite score answers 500 rather
 * than `null`, and /health says `degraded` when the model's weights hold NaN or infinity.
 */
export async function buildServer(model: ModelBundle | ModelSlot, options: ServeOptions = {}, seen: RatingColumns | null = null): Promise<FastifyInstance> {
  const lim: ServeLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ServeLimits)[]) if (options[key] !== undefined) lim[key] = options[key];
  const slot = model instanceof ModelSlot ? model : new ModelSlot({ bundle: model, seen });
  const token = options.token || null;
  const log = options.accessLog ?? null;

  const app = Fastify({ bodyLimit: lim.bodyLimit, logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) return reply.code(400).send(fail(400, formatSchemaErrors(err.validation as ErrorObject[], err.validationContext ?? 'body', req.body)));
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    return reply.code(status).send({ statusCode: status, ...(err.code ? { code: err.code } : {}), error: STATUS_CODES[status] ?? 'Error', message: err.message });
  });
  if (log) {
    app.addHook('onResponse', async (req, reply) => {
      log.write({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 });
    });
  }
  // Order of the request hooks: CORS headers first (so that a browser can read a 401 or a 429), then the rate
  // limit (unauthenticated floods count too), then the token.
  if (options.cors) await app.register(cors, { origin: options.cors, methods: ['GET', 'HEAD', 'POST'], allowedHeaders: ['Authorization', 'Content-Type'], maxAge: 600 });
  if (lim.ratePerMinute > 0) await app.register(rateLimit, { max: lim.ratePerMinute, timeWindow: 60_000 });
  if (token) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.method === 'OPTIONS' || req.url === '/health' || req.url.startsWith('/health?')) return;
      const denied = checkBearer(req.headers.authorization, token);
      if (denied) return reply.code(401).header('www-authenticate', denied.challenge).send(fail(401, denied.message));
    });
  }

  const large = new Gate(lim.largeScoreConcurrency);
  /** Runs a handler with the current model, held until the handler ends (a reload meanwhile does not touch it). */
  const withModel = async <T>(run: (m: ServedModel) => Promise<T> | T): Promise<T> => {
    const m = slot.acquire();
    try {
      return await run(m);
    } finally {
      slot.release(m);
    }
  };
  const nonFinite = (reply: FastifyReply, what: string, score: number): FastifyReply =>
    reply.code(500).send(fail(500, `the model produced a non-finite score (${score}) for ${what}; its weights may hold NaN or infinity (see GET /health)`));

  app.get('/health', async () => {
    const m = slot.current;
    const { bundle } = m;
    return {
      status: m.status,
      ...(m.problems.length ? { problems: m.problems } : {}),
      model: bundle.model.kind,
      users: bundle.users.size,
      items: bundle.items.size,
      generation: m.generation,
      loadedAt: m.loadedAt.toISOString(),
      largeScores: { active: large.holders, queued: large.queued },
      ...(m.ann ? { ann: m.ann.info } : {}),
    };
  });

  app.get<{ Querystring: { user: string; k: number } }>('/recommend', { schema: { querystring: recommendQuery(lim.maxK) } }, async (req, reply) =>
    withModel((m) => {
      const { model: scorer, users, items } = m.bundle;
      const u = users.tryEncode(req.query.user);
      if (u < 0) return reply.code(404).send(fail(404, `unknown user id ${JSON.stringify(req.query.user)}`));
      // hidden: the user's training history saved with the model (every family has one) and the seen ratings, when given
      const exclude = options.includeSeen ? undefined : hiddenFor(scorer, u, m.seenBy(u));
      // --ann: the approximate index's candidates, re-scored exactly; else core's exact blocked scan
      const recs = m.ann ? annRecommend(m.ann, scorer, u, req.query.k, exclude) : recommendForUser(scorer, u, { k: req.query.k, exclude });
      const bad = recs.find((r) => !Number.isFinite(r.score));
      if (bad) return nonFinite(reply, `user ${JSON.stringify(req.query.user)} and item ${JSON.stringify(items.decode(bad.item))}`, bad.score);
      return { user: req.query.user, recommendations: recs.map((r) => ({ item: items.decode(r.item), title: items.title(r.item), score: r.score })) };
    }),
  );

  app.get<{ Querystring: { item: string; k: number } }>('/similar', { schema: { querystring: similarQuery(lim.maxK) } }, async (req, reply) =>
    withModel((m) => {
      const { model: scorer, items } = m.bundle;
      // an id or a title, resolved as `collab similar --item` does
      const found = resolveItem(items, req.query.item);
      if (found.kind === 'unknown') return reply.code(404).send(fail(404, `unknown item ${JSON.stringify(req.query.item)}: neither an item id nor a title`));
      if (found.kind === 'ambiguous') {
        const candidates = found.candidates.slice(0, MAX_CANDIDATES).map((c) => ({ item: items.decode(c), title: items.title(c) }));
        const message = `item ${JSON.stringify(req.query.item)} is ambiguous: ${found.candidates.length} titles match; give the item id or the full title`;
        return reply.code(400).send({ ...fail(400, message), candidates });
      }
      const i = found.index;
      if (!m.factors) {
        // families without factor tables have their own similarity (item-knn, ease), or none (popularity: 400)
        try {
          const own = scorer.similarItems(i, Math.min(req.query.k, items.size - 1));
          return { item: items.decode(i), title: items.title(i), similar: own.map((s) => ({ item: items.decode(s.item), title: items.title(s.item), similarity: s.score })) };
        } catch (err) {
          if (err instanceof UsageError) return reply.code(400).send(fail(400, err.message));
          throw err;
        }
      }
      // similarItems scores a vector with a NaN as similar to nothing (0), so the rows themselves are checked.
      if (!finiteRow(m.factors, i)) return reply.code(500).send(fail(500, `the model's factors for item ${JSON.stringify(items.decode(i))} are not finite (see GET /health)`));
      const sims = similarItems(m.factors, i, Math.min(req.query.k, items.size - 1));
      const bad = sims.find((s) => !Number.isFinite(s.score) || !finiteRow(m.factors!, s.index));
      if (bad) return reply.code(500).send(fail(500, `the model's factors for item ${JSON.stringify(items.decode(bad.index))}, similar to ${JSON.stringify(req.query.item)}, are not finite (see GET /health)`));
      return { item: items.decode(i), title: items.title(i), similar: sims.map((s) => ({ item: items.decode(s.index), title: items.title(s.index), similarity: s.score })) };
    }),
  );

  // POST /score lives in its own scope, whose JSON parser waits for a turn before it parses a large body: however
  // many clients post large bodies, one turn of the event loop holds at most `largeScoreConcurrency` JSON parses
  // and scoring chunks, so /health and small requests are answered in between. Bodies are received first
  // (cheap I/O, bounded by the body limit), so a client that uploads slowly does not hold a turn.
  await app.register(async (scope) => {
    const turns = new WeakMap<FastifyRequest, Turn>();
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      const turn = turns.get(req);
      if (!turn || body.length <= lim.largeBody) return parseJson(req, body as string, done);
      void large.acquire().then((release) => {
        turn.hold(release);
        parseJson(req, body as string, done);
      });
    });
    scope.post<{ Body: ScoreBody }>(
      '/score',
      {
        schema: { body: scoreBody(lim.maxPairs) },
        preParsing: async (req, reply, payload) => {
          const turn = new Turn();
          turns.set(req, turn);
          reply.raw.once('close', () => turn.end()); // the response is sent, or the connection is gone
          return payload;
        },
      },
      async (req, reply) =>
        withModel(async (m) => {
          const { users, items, model: scorer } = m.bundle;
          const out = await scorePairs({ users, items, predict: (u, i) => scorer.predict(u, i) }, req.body.pairs, lim.scoreChunk, () => req.raw.socket.destroyed);
          turns.get(req)?.end(); // scored: the next large body may be parsed while this answer is written
          if (!out.ok) return reply.code(out.status).send(fail(out.status, out.message));
          return reply.type('application/json; charset=utf-8').send(out.json);
        }),
    );
  });

  // Reloading over HTTP needs a token: without one anybody who can reach the port could make the server reload
  // (SIGHUP stays available to whoever runs the process). 403 rather than 404, so the answer says what to do.
  app.post('/admin/reload', async (_req, reply) => {
    if (!token) return reply.code(403).send(fail(403, 'POST /admin/reload is off: start collab serve with --token (or COLLAB_SERVE_TOKEN) to enable it, or send the process SIGHUP'));
    if (!slot.reloadable) return reply.code(409).send(fail(409, 'this server was given a model, not a directory to reload it from'));
    const result = await slot.reload();
    if (!result.ok) return reply.code(500).send({ ...fail(500, `reload failed, still serving generation ${result.generation}: ${result.error}`), reload: result });
    return { status: 'reloaded', ...result };
  });
  return app;
}
