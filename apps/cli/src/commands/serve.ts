import { Command } from 'commander';
import { createOutput } from '../io/output.js';
import { openModel, ratingsForModel } from '../model-source.js';
import { nonNegativeInt, positiveInt } from '../parse.js';
import { buildServer, DEFAULT_LIMITS } from '../serve/app.js';

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
  quiet?: boolean;
}

/** `collab serve`: a small HTTP JSON API over a saved model. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve a saved model over HTTP: GET /recommend, GET /similar, POST /score, GET /health (JSON)')
    .requiredOption('--model <dir>', 'a model directory saved by collab train')
    .option('--port <n>', 'port to listen on (0 picks a free one)', nonNegativeInt, 8080)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--data <dir|file|name>', 'also hide the items users rated in these ratings (the model hides its own training history already)')
    .option('--include-seen', 'do not hide items users have rated')
    .option('--max-k <n>', 'largest k a request may ask for', positiveInt, DEFAULT_LIMITS.maxK)
    .option('--max-pairs <n>', 'most pairs in one POST /score', positiveInt, DEFAULT_LIMITS.maxPairs)
    .option('--body-limit <bytes>', 'largest request body', positiveInt, DEFAULT_LIMITS.bodyLimit)
    .option('--rate-limit <n>', 'requests per minute per client (0: unlimited)', nonNegativeInt, DEFAULT_LIMITS.ratePerMinute)
    .option('-q, --quiet', 'no logs on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ collab serve --model models/ml-100k --port 8080\n  $ curl "http://127.0.0.1:8080/recommend?user=196&k=5"\n  $ curl "http://127.0.0.1:8080/similar?item=50&k=5"\n  $ curl -X POST -H "content-type: application/json" -d \'{"pairs":[{"user":"196","item":"50"}]}\' http://127.0.0.1:8080/score',
    )
    .action(async (opts: ServeOpts) => {
      const out = createOutput(opts);
      const bundle = await openModel(opts.model, out);
      const seen = opts.data && !opts.includeSeen ? await ratingsForModel(bundle, opts.data, out) : null;
      const app = await buildServer(bundle, { maxK: opts.maxK, maxPairs: opts.maxPairs, bodyLimit: opts.bodyLimit, ratePerMinute: opts.rateLimit }, seen?.cols ?? null, { includeSeen: opts.includeSeen });
      const address = await app.listen({ port: opts.port, host: opts.host });
      out.log(`serving ${bundle.model.kind} on ${address} (GET /recommend?user=&k=, GET /similar?item=&k=, POST /score, GET /health); Ctrl-C stops`);
      const stop = async (): Promise<void> => {
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
