import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '@collab-ts/core';
import type { RatingsDataset } from '@collab-ts/data';
import { userItemIndex } from '@collab-ts/eval';
import { createOutput } from '../io/output.js';
import type { Output } from '../io/output.js';
import { openModel, ratingsForModel, reencode } from '../model-source.js';
import { nonNegativeInt, positiveInt } from '../parse.js';
import { DEFAULT_ANN_PARAMS } from '../serve/ann/item-index.js';
import { loadAnnLibrary } from '../serve/ann/library.js';
import type { AnnLibrary, AnnLoader } from '../serve/ann/library.js';
import { prepareAnn } from '../serve/ann/served-ann.js';
import type { AnnSetup } from '../serve/ann/served-ann.js';
import { openJsonLog } from '../serve/access-log.js';
import type { JsonLog } from '../serve/access-log.js';
import { buildServer, DEFAULT_LIMITS, parseCorsOrigins } from '../serve/app.js';
import { hiddenFor } from '../serve/hidden.js';
import { ModelSlot } from '../serve/model-slot.js';
import type { LoadedModel, ReloadResult } from '../serve/model-slot.js';

/** The environment variable read for the bearer token when `--token` is not given. */
export const TOKEN_ENV = 'COLLAB_SERVE_TOKEN';

interface ServeOpts {
  model: string;
  port: number;
  host: string;
  data?: string;
  includeSeen?: boolean;
  maxK: number;
  maxPairs: number;
  bodyLimit: number;
  rateLimit: number;
  cors?: '*' | string[];
  token?: string;
  log?: string;
  quiet?: boolean;
  ann?: boolean;
  annConnectivity: number;
  annExpansionAdd: number;
  annExpansionSearch: number;
  annThreads: number;
  annRecallUsers: number;
  annCache: boolean;
}

/** What `collab serve` takes from outside, replaceable in tests: how the optional ANN library is imported. */
export interface ServeDeps {
  loadAnn?: AnnLoader;
}

/** The `--ann-*` tuning flags, which mean nothing without `--ann`, by option name. */
const ANN_TUNING: Record<string, string> = {
  annConnectivity: '--ann-connectivity',
  annExpansionAdd: '--ann-expansion-add',
  annExpansionSearch: '--ann-expansion-search',
  annThreads: '--ann-threads',
  annRecallUsers: '--ann-recall-users',
  annCache: '--no-ann-cache',
};

/** Commander parser for an integer within bounds. */
function intIn(lo: number, hi: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new InvalidArgumentError(`expected an integer from ${lo} to ${hi}, got "${value}"`);
    return n;
  };
}

function corsOrigins(value: string): '*' | string[] {
  try {
    return parseCorsOrigins(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message.replace(/^--cors:? ?/, ''));
  }
}

/**
 * Loads the model directory and the `--data` ratings whose items are hidden from each user besides the
 * model's own training history (never a path recorded in the model). The ratings file is read once: later
 * loads (reloads) re-encode it with the new model's vocabularies.
 */
function modelLoader(opts: ServeOpts, out: Output, ann: AnnSetup | null): () => Promise<LoadedModel> {
  let cache: RatingsDataset | null = null;
  const load = async (): Promise<LoadedModel> => {
    const bundle = await openModel(opts.model, out);
    if (opts.includeSeen || !opts.data) return { bundle, seen: null };
    if (cache) return { bundle, seen: reencode(cache, bundle.users, bundle.items).cols };
    const read = await ratingsForModel(bundle, opts.data, out);
    cache = read.ds;
    return { bundle, seen: read.cols };
  };
  if (!ann) return load;
  // --ann: the index of the loaded model (built, or read from beside it), its recall measured with the items
  // each user has seen hidden, as the server hides them
  return async () => {
    const loaded = await load();
    const { model } = loaded.bundle;
    const seenIndex = loaded.seen ? userItemIndex(loaded.seen, loaded.bundle.users.size) : null;
    const seenBy = (u: number): Int32Array | undefined => (seenIndex ? seenIndex.items.subarray(seenIndex.offsets[u], seenIndex.offsets[u + 1]) : undefined);
    const hidden = (u: number): ArrayLike<number> | undefined => (opts.includeSeen ? undefined : hiddenFor(model, u, seenBy(u)));
    return { ...loaded, seenIndex, ann: await prepareAnn(model, ann, hidden) };
  };
}

/** The ANN setup of `--ann`, after checking its flags and loading the library (before the model, to fail fast). */
async function annSetup(opts: ServeOpts, cmd: Command, out: Output, deps: ServeDeps): Promise<AnnSetup | null> {
  if (!opts.ann) {
    const stray = Object.keys(ANN_TUNING).find((name) => cmd.getOptionValueSource(name) === 'cli');
    if (stray) throw new UsageError(`${ANN_TUNING[stray]} only applies with --ann`);
    return null;
  }
  const lib: AnnLibrary = await loadAnnLibrary(deps.loadAnn);
  const params = { connectivity: opts.annConnectivity, expansionAdd: opts.annExpansionAdd, expansionSearch: opts.annExpansionSearch, threads: opts.annThreads };
  return { lib, params, cacheDir: opts.annCache ? opts.model : null, recallUsers: opts.annRecallUsers, log: (line) => out.log(line) };
}

/** `collab serve`: a small HTTP JSON API over a saved model. */
export function serveCommand(deps: ServeDeps = {}): Command {
  return new Command('serve')
    .description('serve a saved model over HTTP: GET /recommend, GET /similar, POST /score, GET /health (JSON); SIGHUP reloads the model')
    .requiredOption('--model <dir>', 'a model directory saved by collab train (reloaded from there on SIGHUP or POST /admin/reload)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', nonNegativeInt, 8080)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--data <dir|file|name>', 'also hide the items users rated in these ratings (the model hides its own training history already)')
    .option('--include-seen', 'do not hide items users have rated')
    .option('--max-k <n>', 'largest k a request may ask for', positiveInt, DEFAULT_LIMITS.maxK)
    .option('--max-pairs <n>', 'most pairs in one POST /score (more: 400)', positiveInt, DEFAULT_LIMITS.maxPairs)
    .option('--body-limit <bytes>', 'largest request body (more: 413)', positiveInt, DEFAULT_LIMITS.bodyLimit)
    .option('--rate-limit <n>', 'requests per minute per client (0: unlimited)', nonNegativeInt, DEFAULT_LIMITS.ratePerMinute)
    .option('--cors <origins>', 'let browsers on these origins call the API: "*" or a comma-separated list (https://app.example.com)', corsOrigins)
    .option('--token <secret>', `require "Authorization: Bearer <secret>" on every route but /health, and enable POST /admin/reload (default: $${TOKEN_ENV}, which keeps it out of the process list)`)
    .option('--log <file|->', 'append one JSON line per request (time, method, url, status, ms) and per server event to a file, or stdout with -')
    .option('-q, --quiet', 'no logs on stderr')
    .option('--ann', `answer /recommend from an approximate nearest-neighbour index (HNSW, inner product; needs the optional package usearch and a factor model), built at start or read from beside the model; its recall@10 against the exact scan is logged and shown in /health`)
    .option('--ann-connectivity <n>', 'HNSW neighbours per item (M): higher is better recall, more memory, slower build', intIn(2, 256), DEFAULT_ANN_PARAMS.connectivity)
    .option('--ann-expansion-add <n>', 'candidates examined per item added (efConstruction): higher is a better index and a slower build', intIn(1, 4096), DEFAULT_ANN_PARAMS.expansionAdd)
    .option('--ann-expansion-search <n>', 'candidates examined per query (ef): higher is better recall and slower queries', intIn(1, 4096), DEFAULT_ANN_PARAMS.expansionSearch)
    .option('--ann-threads <n>', 'threads that build the index (0: one per core)', intIn(0, 1024), DEFAULT_ANN_PARAMS.threads)
    .option('--ann-recall-users <n>', 'users sampled to measure recall@10 against the exact scan at start', intIn(1, 100_000), 100)
    .option('--no-ann-cache', 'do not cache the index beside the model (by default it is written there atomically and reused while the model is unchanged)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ collab serve --model models/ml-100k --port 8080',
        '  $ curl "http://127.0.0.1:8080/recommend?user=196&k=5"',
        '  $ curl "http://127.0.0.1:8080/similar?item=50&k=5"',
        '  $ curl -X POST -H "content-type: application/json" -d \'{"pairs":[{"user":"196","item":"50"}]}\' http://127.0.0.1:8080/score',
        '  $ collab serve --model models/big --ann --ann-expansion-search 128   # approximate top-k for large catalogs',
        `  $ ${TOKEN_ENV}=s3cret collab serve --model models/ml-100k --cors https://app.example.com --log access.log`,
        '  $ curl -X POST -H "Authorization: Bearer s3cret" http://127.0.0.1:8080/admin/reload',
        '  $ kill -HUP <pid>      # reload the model from --model; requests in flight finish on the old one',
      ].join('\n'),
    )
    .action(async (opts: ServeOpts, cmd: Command) => {
      const out = createOutput(opts);
      const ann = await annSetup(opts, cmd, out, deps);
      const token = opts.token ?? (process.env[TOKEN_ENV] || null); // an empty variable means no token
      if (token !== null && !/^[\x21-\x7e]{8,}$/.test(token)) throw new UsageError(`--token (or ${TOKEN_ENV}): use at least 8 printable characters, no spaces`);
      let log: JsonLog | null = null;
      if (opts.log) {
        try {
          log = openJsonLog(opts.log);
        } catch (err) {
          throw new UsageError(`--log ${opts.log}: ${(err as Error).message}`);
        }
      }
      const onReload = (r: ReloadResult): void => {
        log?.write({ event: 'reload', ...r });
        // a failed reload is reported even with -q: the server goes on with a model the deployer did not ask for
        if (r.ok) out.log(`reloaded ${r.model} model from ${opts.model} in ${r.ms} ms (generation ${r.generation}: ${r.users} users, ${r.items} items${r.problems.length ? `; degraded: ${r.problems.join('; ')}` : ''})`);
        else process.stderr.write(`reload of ${opts.model} failed after ${r.ms} ms, still serving generation ${r.generation}: ${r.error}\n`);
      };
      const load = modelLoader(opts, out, ann);
      const slot = new ModelSlot(await load(), { load, onReload });
      const limits = { maxK: opts.maxK, maxPairs: opts.maxPairs, bodyLimit: opts.bodyLimit, ratePerMinute: opts.rateLimit };
      const app = await buildServer(slot, { ...limits, token, cors: opts.cors ?? null, accessLog: log, includeSeen: opts.includeSeen });
      const address = await app.listen({ port: opts.port, host: opts.host });
      // signals are handled from here on, before anyone hears the server is up (a client told so may stop it at once)
      const reload = (): void => void slot.reload();
      const stop = async (): Promise<void> => {
        process.off('SIGHUP', reload);
        await app.close();
        log?.write({ event: 'close' });
        await log?.close();
        process.exit(0);
      };
      process.on('SIGHUP', reload);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const { bundle, status, problems } = slot.current;
      log?.write({ event: 'listening', url: address, model: bundle.model.kind, users: bundle.users.size, items: bundle.items.size, status, ...(slot.current.ann ? { ann: slot.current.ann.info } : {}) });
      if (status !== 'ok') process.stderr.write(`warning: the model's weights are not all finite (${problems.join('; ')}); /health says degraded\n`);
      out.log(
        `serving ${bundle.model.kind} on ${address} (GET /recommend?user=&k=, GET /similar?item=&k=, POST /score, GET /health${token ? ', POST /admin/reload; bearer token required' : ''}); SIGHUP reloads the model, Ctrl-C stops`,
      );
    });
}
