// Exact vs approximate top-10 for `collab serve` over a large synthetic catalog (tracker issue 13).
//   data: BENCH_ITEMS items (default 1,000,000) and BENCH_USERS users (default 2,000) of a dot-bias model with
//         64 factors, seeded; item factors drawn around 1,024 cluster centres with log-normal norms (so the
//         catalog has structure, as trained factors do, and inner-product search is not trivially easy), small
//         item biases; each user sits near one centre and has 20 random items of history, which /recommend hides.
//   protocol: the model is saved, then served by the built CLI (`collab serve`, nice 10), one server at a time:
//         first the exact blocked scan, then `--ann` with each search width of BENCH_EF (default 32,64,128,256)
//         (the index is built once and read from its cache beside the model afterwards). BENCH_QUERIES sampled
//         users (default 200) each ask GET /recommend?k=10 once, one request at a time, after 20 warm-up
//         requests; latency is the client's, end to end over loopback HTTP. recall@10 is |ANN ∩ exact| / 10
//         per user, averaged, from the two servers' answers; the server's own figure (its startup sample) sits
//         beside it. Memory: the server's peak resident set (VmHWM), exact server vs ANN server.
// Usage: node bench/ann.mjs   (after a build; writes bench/ann-results.json). Runs niced; about 10 minutes on
// two cores for 1M items, most of it the index build. BENCH_ITEMS=100000 for a quick look.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRng, csrFromCoordinates, Vocabulary } from '@collab-ts/core';
import { createModel } from '@collab-ts/models';
import { saveModel } from '@collab-ts/models/node';

os.setPriority(10); // the servers inherit it
const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const USERS = Number(process.env.BENCH_USERS ?? 2000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const EFS = (process.env.BENCH_EF ?? '32,64,128,256').split(',').map(Number);
const DIM = 64;
const CLUSTERS = 1024;
const HISTORY = 20;
const K = 10;
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Writes the synthetic model (factors, biases, history) to `dir`; returns nothing it keeps, to free its memory. */
async function writeModel(dir) {
  const rng = createRng(42);
  const gauss = () => rng.normal();
  const model = await createModel('dot-bias', { nUsers: USERS, nItems: ITEMS, factors: DIM, seed: 1, yRange: null });
  const f = model.factors();
  const centres = Float32Array.from({ length: CLUSTERS * DIM }, () => gauss() / Math.sqrt(DIM));
  for (let i = 0; i < ITEMS; i++) {
    const c = rng.int(CLUSTERS);
    const norm = Math.exp(0.3 * gauss());
    for (let k = 0; k < DIM; k++) f.itemFactors[i * DIM + k] = norm * (centres[c * DIM + k] + (0.5 * gauss()) / Math.sqrt(DIM));
    f.itemBias[i] = 0.1 * gauss();
  }
  for (let u = 0; u < USERS; u++) {
    const c = rng.int(CLUSTERS);
    for (let k = 0; k < DIM; k++) f.userFactors[u * DIM + k] = centres[c * DIM + k] + (0.5 * gauss()) / Math.sqrt(DIM);
    f.userBias[u] = 0.1 * gauss();
  }
  const rows = new Int32Array(USERS * HISTORY);
  const cols = new Int32Array(USERS * HISTORY);
  for (let j = 0; j < rows.length; j++) {
    rows[j] = Math.floor(j / HISTORY);
    cols[j] = rng.int(ITEMS);
  }
  model.history = csrFromCoordinates(rows, cols, new Float32Array(rows.length).fill(1), USERS, ITEMS);
  const users = Vocabulary.fromIds('user', Array.from({ length: USERS }, (_, u) => `u${u}`));
  const items = Vocabulary.fromIds('item', Array.from({ length: ITEMS }, (_, i) => `i${i}`));
  saveModel(dir, model, { users, items });
}

/** Starts `collab serve` on a free port; resolves once it listens, with its pid, port and startup log. */
function serve(modelDir, extra) {
  const child = spawn(process.execPath, [BIN, 'serve', '--model', modelDir, '--port', '0', '--rate-limit', '0', '--log', '-', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const line of String(d).split('\n')) if (line.startsWith('ann:')) console.error(`  ${line}`);
  });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`collab serve exited with ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      const event = JSON.parse(line);
      if (event.event === 'listening') resolve({ child, url: event.url, stderr: () => stderr });
    });
  });
}

async function stop(server) {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

/** Peak resident memory of a process, MiB (Linux). */
function peakMiB(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

/** Asks every sampled user for their top 10, one request at a time; their item lists and the latencies. */
async function query(url, users) {
  const ask = async (u) => {
    const t0 = performance.now();
    const res = await fetch(`${url}/recommend?user=u${u}&k=${K}`);
    const body = await res.json();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`GET /recommend for u${u}: ${res.status} ${JSON.stringify(body)}`);
    return { ms, items: body.recommendations.map((r) => r.item) };
  };
  for (let j = 0; j < 20; j++) await ask(users[j % users.length]);
  const answers = [];
  for (const u of users) answers.push(await ask(u));
  return answers;
}

const dir = mkdtempSync(join(os.tmpdir(), 'collab-ann-bench-'));
const modelDir = join(dir, 'model');
try {
  let t0 = performance.now();
  await writeModel(modelDir);
  console.error(`model: ${ITEMS.toLocaleString('en-US')} items x ${DIM} factors, ${USERS} users, written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const rng = createRng(7);
  const users = Array.from(rng.permutation(USERS).subarray(0, QUERIES));

  const exactServer = await serve(modelDir, []);
  const exact = await query(exactServer.url, users);
  const exactPeak = peakMiB(exactServer.child.pid);
  await stop(exactServer);
  const rows = [{ mode: 'exact scan', ef: null, recallAt10: 1, serverRecallAt10: null, medianMs: quantile(exact.map((a) => a.ms), 0.5), p95Ms: quantile(exact.map((a) => a.ms), 0.95), peakMiB: exactPeak }];
  console.error(`exact: median ${rows[0].medianMs.toFixed(2)} ms, p95 ${rows[0].p95Ms.toFixed(2)} ms, peak ${exactPeak} MiB`);

  let build = null;
  for (const ef of EFS) {
    t0 = performance.now();
    const server = await serve(modelDir, ['--ann', '--ann-expansion-search', String(ef)]);
    const startS = (performance.now() - t0) / 1000;
    const health = await (await fetch(`${server.url}/health`)).json();
    if (health.ann.source === 'built') build = { seconds: health.ann.ms / 1000, startSeconds: startS, connectivity: health.ann.connectivity, expansionAdd: health.ann.expansionAdd };
    const ann = await query(server.url, users);
    const peak = peakMiB(server.child.pid);
    await stop(server);
    let recall = 0;
    ann.forEach((a, j) => {
      const want = new Set(exact[j].items);
      recall += a.items.filter((item) => want.has(item)).length / exact[j].items.length;
    });
    const row = { mode: 'ann (usearch HNSW)', ef, recallAt10: recall / users.length, serverRecallAt10: health.ann.recallAt10, medianMs: quantile(ann.map((a) => a.ms), 0.5), p95Ms: quantile(ann.map((a) => a.ms), 0.95), peakMiB: peak, source: health.ann.source, startSeconds: startS };
    rows.push(row);
    console.error(`ann ef ${ef}: recall@10 ${row.recallAt10.toFixed(4)} (server ${row.serverRecallAt10}), median ${row.medianMs.toFixed(2)} ms, p95 ${row.p95Ms.toFixed(2)} ms, peak ${peak} MiB, index ${row.source}`);
  }

  const cpus = os.cpus();
  const out = {
    machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, node: process.version, note: '2-core machine shared with other work, niced: timings are indicative; compare ratios within one run' },
    date: new Date().toISOString().slice(0, 10),
    data: `synthetic dot-bias model: ${ITEMS} items x ${DIM} factors around ${CLUSTERS} clusters (log-normal norms, small biases), ${USERS} users with ${HISTORY} history items each (hidden from /recommend), seed 42`,
    protocol: `${QUERIES} sampled users, GET /recommend k=${K} one at a time over loopback after 20 warm-up requests; recall@10 from the exact and ANN servers' answers; peak RSS of each server (VmHWM)`,
    index: build,
    results: rows,
    // serve's default --ann-expansion-search
    speedupAtDefaultEf: (() => {
      const at = rows.find((r) => r.ef === 128);
      return at ? rows[0].medianMs / at.medianMs : null;
    })(),
  };
  writeFileSync(new URL('./ann-results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);

  const header = ['mode', 'ef', 'recall@10', 'server recall@10', 'median ms', 'p95 ms', 'exact / this (median)', 'peak MiB'];
  const body = rows.map((r) => [r.mode, r.ef === null ? '-' : String(r.ef), r.recallAt10.toFixed(4), r.serverRecallAt10 === null ? '-' : r.serverRecallAt10.toFixed(4), r.medianMs.toFixed(2), r.p95Ms.toFixed(2), (rows[0].medianMs / r.medianMs).toFixed(1), String(r.peakMiB)]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  for (const line of [header, ...body]) console.log(line.map((s, c) => (c < 1 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  '));
  if (build) console.log(`\nindex build: ${build.seconds.toFixed(1)} s (connectivity ${build.connectivity}, expansion-add ${build.expansionAdd}); later starts read it from the cache beside the model`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
