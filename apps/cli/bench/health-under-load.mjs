// Latency of GET /health while eight clients post 10,000-pair POST /score bodies to `collab serve`, over
// loopback only and bounded in time (BENCH_SECONDS, default 4, per phase). Usage:
//   node bench/health-under-load.mjs [--model <dir>] [--bin <path to bin.js>]
// Without --model it trains a small synthetic model first. Prints the median and p99 of /health alone and
// under load, and the /score throughput.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { model: { type: 'string' }, bin: { type: 'string' } } });
const bin = values.bin ?? fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'collab-health-bench-'));

const run = (args, opts = {}) =>
  new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args[0]} exited with ${code}: ${err}`))));
  });

let modelDir = values.model;
if (!modelDir) {
  const { generateSynthetic } = await import('@collab-ts/data');
  const { writeRatingsCsv } = await import('@collab-ts/data/node');
  const { dataset } = generateSynthetic({ users: 943, items: 1682, ratings: 100_000, factors: 8, seed: 1 });
  const csv = join(dir, 'ratings.csv');
  await writeRatingsCsv(dataset.ratings, { users: dataset.users, items: dataset.items }, csv);
  modelDir = join(dir, 'model');
  await run(['train', '--data', csv, '--model', 'embedding-dot-bias', '--epochs', '1', '--out', modelDir, '-q']);
}

const server = spawn(process.execPath, [bin, 'serve', '--model', modelDir, '--port', '0', '--include-seen'], { stdio: ['ignore', 'ignore', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let buf = '';
  server.stderr.on('data', (d) => {
    buf += d;
    const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${buf}`)));
});

const health = await (await fetch(`${url}/health`)).json();
const pairs = Array.from({ length: 10_000 }, (_, i) => ({ user: String((i % Math.min(900, health.users)) + 1), item: String(((i * 7) % Math.min(1600, health.items)) + 1) }));
const body = JSON.stringify({ pairs });

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
// Sequential probes, bounded in time and count (the whole run stays under the default 6,000 requests a minute).
async function probe(until, most) {
  const ms = [];
  while (performance.now() < until && ms.length < most) {
    const t = performance.now();
    const r = await fetch(`${url}/health`);
    await r.arrayBuffer();
    ms.push(performance.now() - t);
  }
  return ms;
}

// CPU seconds the server process has used (Linux; null elsewhere): steadier than wall time on a shared machine.
const cpuSeconds = () => {
  const stat = `/proc/${server.pid}/stat`;
  if (!existsSync(stat)) return null;
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const idle = await probe(performance.now() + seconds * 1000, 500);
let scored = 0;
let failed = 0;
const until = performance.now() + seconds * 1000;
const cpu0 = cpuSeconds();
const client = async () => {
  while (performance.now() < until) {
    const r = await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await r.arrayBuffer();
    if (r.ok) scored++;
    else failed++;
  }
};
const [loaded] = await Promise.all([probe(until, 2000), ...Array.from({ length: 8 }, client)]);
const cpu = cpu0 === null ? null : cpuSeconds() - cpu0;
server.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });

const f = (x) => x.toFixed(1);
console.log(`/health alone:      median ${f(quantile(idle, 0.5))} ms, p99 ${f(quantile(idle, 0.99))} ms (${idle.length} requests)`);
console.log(`/health under load: median ${f(quantile(loaded, 0.5))} ms, p99 ${f(quantile(loaded, 0.99))} ms, max ${f(Math.max(...loaded))} ms (${loaded.length} requests)`);
console.log(`8 clients, 10,000-pair POST /score: ${f(scored / seconds)} req/s (${((scored * 10_000) / seconds / 1e6).toFixed(2)}M pairs/s), ${failed} failed${cpu ? `; ${f(scored / cpu)} per server CPU second` : ''}`);
