/**
 * Turns the packages' `bench/results.json` files into tables for the Benchmarks page. Every figure on that
 * page comes from these files: a package whose file has a known shape gets a curated view, anything else a
 * generic one (scalar fields as context, arrays of objects as tables).
 */

/** One rendered table. */
export interface BenchTable {
  title: string;
  columns: string[];
  /** Cells, already formatted as text; `align[i]` is 'right' for numeric columns. */
  rows: string[][];
  align: ('left' | 'right')[];
}

/** Everything the page shows for one package. */
export interface BenchSection {
  pkg: string;
  file: string;
  context: [string, string][];
  tables: BenchTable[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Formats a number with about four significant digits and thousands separators. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 4;
  return x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

function cell(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function table(title: string, columns: string[], rows: (Json | undefined)[][]): BenchTable {
  const align = columns.map((_, c) => (rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === 'number') && rows.some((r) => typeof r[c] === 'number') ? 'right' : 'left'));
  return { title, columns, rows: rows.map((r) => r.map(cell)), align };
}

function contextOf(d: Obj): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === 'string' && !v.includes('\n')) out.push([k, v]);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push([k, cell(v)]);
    else if (isObj(v) && Object.values(v).every((x) => typeof x === 'string' || typeof x === 'boolean')) {
      out.push([k, Object.entries(v).map(([a, b]) => `${a} ${cell(b)}`).join(', ')]);
    } else if (isObj(v) && Object.keys(v).length <= 6 && Object.values(v).every(isScalar) && /machine|model|config|env/i.test(k)) {
      out.push([k, Object.entries(v).map(([a, b]) => `${a} ${cell(b)}`).join(', ')]);
    }
  }
  return out;
}

/** Generic view: every array of objects becomes a table of its scalar fields. */
export function genericTables(d: Obj): BenchTable[] {
  const out: BenchTable[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (!Array.isArray(v) || v.length === 0 || !v.every(isObj)) continue;
    const rows = v as Obj[];
    const columns: string[] = [];
    for (const r of rows) for (const [c, x] of Object.entries(r)) if (isScalar(x) && !columns.includes(c)) columns.push(c);
    out.push(table(k, columns, rows.map((r) => columns.map((c) => r[c]))));
  }
  return out;
}

function dataTables(d: Obj): BenchTable[] {
  const steps: [string, string][] = [
    ['read', 'loadRatings, synthetic ratings.csv (MovieLens 25M shape)'],
    ['readTextIds', 'loadRatings, text ids'],
    ['generate', 'generateSynthetic'],
    ['writeCsv', 'writeRatingsCsv'],
    ['ml100k', 'loadRatings ml-100k (median)'],
  ];
  const rows: (Json | undefined)[][] = [];
  for (const [key, label] of steps) {
    const s = d[key];
    if (!isObj(s)) continue;
    const rowsN = typeof s.rows === 'number' ? s.rows : d.rows;
    const seconds = (s.seconds ?? s.medianSeconds) as Json;
    const rps = typeof s.rowsPerSecond === 'number' ? s.rowsPerSecond : typeof rowsN === 'number' && typeof seconds === 'number' ? rowsN / seconds : undefined;
    rows.push([label, rowsN, seconds, rps, s.peakRssMB]);
  }
  if (rows.length === 0) throw new Error('unknown shape');
  return [table('Reading and generating ratings', ['step', 'rows', 'seconds', 'rows / s', 'peak RSS (MB)'], rows)];
}

function modelTables(d: Obj): BenchTable[] {
  const rows = d.rows;
  if (!Array.isArray(rows) || !rows.every(isObj)) throw new Error('unknown shape');
  const out = [
    table(
      `One training epoch (${cell(d.dataset)}, batch ${cell(d.batchSize)}, ${cell(d.factors)} factors); reference loop ${formatNumber(Number(d.referenceMsPerEpoch))} ms`,
      ['model', 'backend', 'ms / epoch', 'x reference', 'how'],
      (rows as Obj[]).map((r) => [
        r.kind,
        r.backend,
        typeof r.msPerEpoch === 'number' ? r.msPerEpoch : 'n/a',
        typeof r.ratio === 'number' ? r.ratio : 'n/a',
        typeof r.error === 'string'
          ? r.error.split(':')[0]
          : r.extrapolated
            ? `${cell(r.batchesTimed)} of ${cell(r.batchesPerEpoch)} batches timed, extrapolated`
            : 'whole epoch',
      ]),
    ),
  ];
  if (Array.isArray(d.scaling) && d.scaling.every(isObj)) {
    out.push(
      table(
        'dot-bias (fused) against the reference loop',
        ['case', 'ms / epoch', 'reference ms / epoch', 'ratio'],
        (d.scaling as Obj[]).map((r) => [r.label, r.msPerEpoch, r.referenceMs, typeof r.msPerEpoch === 'number' && typeof r.referenceMs === 'number' ? r.msPerEpoch / r.referenceMs : undefined]),
      ),
    );
  }
  return out;
}

function evalTables(d: Obj): BenchTable[] {
  const results = d.results;
  if (!Array.isArray(results) || !results.every(isObj)) throw new Error('unknown shape');
  const wanted = ['rmse', 'ndcg@10', 'precision@10', 'recall@10', 'coverage@10'];
  const present = wanted.filter((m) => (results as Obj[]).some((r) => isObj(r.metrics) && typeof r.metrics[m] === 'number'));
  return [
    table(
      `Evaluation speed (${cell(d.data)})`,
      ['case', 'median ms', ...present],
      (results as Obj[]).map((r) => [r.name, r.medianMs, ...present.map((m) => (isObj(r.metrics) ? r.metrics[m] : undefined))]),
    ),
  ];
}

function trainTables(d: Obj): BenchTable[] {
  const runs = d.runs;
  if (!Array.isArray(runs) || !runs.every(isObj)) throw new Error('unknown shape');
  const out = [
    table(
      `Chapter 8 on MovieLens 100k (${cell(d.protocol)})`,
      ['run', 'kind', 'wd', 'sparse rows', 'backend', 'valid MSE', 'seconds', 'x plain loop'],
      (runs as Obj[]).map((r) => [r.name, r.kind, r.wd, r.sparseMode, r.backend, r.validMse, r.seconds, r.ratioToPlainLoop]),
    ),
  ];
  if (isObj(d.plainLoop)) {
    out.push(table('Reference: the plain per-rating SGD loop', Object.keys(d.plainLoop), [Object.values(d.plainLoop)]));
  }
  return out;
}

/** The ranking bench (`apps/cli/bench/ranking-results.json`): every ranking-capable family, then the peers of issue 9. */
export function rankingTables(d: Obj): BenchTable[] {
  const results = d.results;
  if (!Array.isArray(results) || !results.every(isObj)) throw new Error('unknown shape');
  const options = (o: Json | undefined): string =>
    isObj(o) && Object.keys(o).length > 0 ? Object.entries(o).map(([k, v]) => `${k} ${cell(v)}`).join(', ') : 'defaults';
  const out = [
    table(
      'Ranking on MovieLens 100k, leave-last-out (full ranking; sampled: against 99 random unrated items)',
      ['model', 'options', 'valid NDCG@10', 'HR@10', 'NDCG@10', 'HR@10 sampled', 'NDCG@10 sampled', 'fit seconds'],
      (results as Obj[]).map((r) => [r.model, options(r.options), r.validNdcg10, r['hit@10'], r['ndcg@10'], r['hit@10 sampled'], r['ndcg@10 sampled'], r.fitSeconds]),
    ),
  ];
  const peers = isObj(d.peers) ? d.peers : null;
  if (peers && Array.isArray(peers.rows) && peers.rows.every(isObj)) {
    out.push(
      table(
        `Peers on the same protocol (${cell(peers.source)})`,
        ['model', 'library', 'options', 'HR@10', 'NDCG@10'],
        (peers.rows as Obj[]).map((r) => [r.model, r.library, r.options, r['hit@10'], r['ndcg@10']]),
      ),
    );
  }
  return out;
}

const curated: Record<string, (d: Obj) => BenchTable[]> = { data: dataTables, models: modelTables, eval: evalTables, train: trainTables, ranking: rankingTables };

/** Builds the section for one package's results file (curated view when the shape is known). */
export function benchSection(pkg: string, file: string, json: unknown): BenchSection {
  if (!isObj(json)) return { pkg, file, context: [], tables: [] };
  let tables: BenchTable[];
  try {
    tables = curated[pkg] ? curated[pkg](json) : genericTables(json);
  } catch {
    tables = genericTables(json);
  }
  return { pkg, file, context: contextOf(json), tables };
}
