// Load benchmark of `collab serve` over loopback: trains a model (MovieLens 100k when COLLAB_DATA_DIR is set,
// else synthetic), starts the server on a free port, drives it with autocannon (bounded: a few seconds per
// endpoint, 127.0.0.1 only), prints requests per second, requests per second of server CPU time (steadier on a
// shared machine) and latency percentiles, writes bench/serve-results.json. COLLAB_BIN=<path to bin.js> runs
// another build instead (for before/after comparisons; nothing is written then).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const bin = process.env.COLLAB_BIN ?? fileURLToPath(new URL('../dist/bin.js', import.meta.url)); // COLLAB_BIN: another build, to compare
const dir = mkdtempSync(join(tmpdir(), 'collab-serve-bench-'));
const modelDir = join(dir, 'model');
const data = process.env.COLLAB_DATA_DIR ? 'ml-100k' : null;
let dataArg = data;
if (!dataArg) {
  const { generateSynthetic } = await import('@collab-ts/data');
  const { writeRatingsCsv } = await import('@collab-ts/data/node');
  const { dataset } = generateSynthetic({ users: 943, items: 1682, ratings: 100_000, factors: 8, seed: 1 });
  dataArg = join(dir, 'ratings.csv');
  await writeRatingsCsv(dataset.ratings, { users: dataset.users, items: dataset.items }, dataArg);
}
const t = spawnSync(process.execPath, [bin, 'train', '--data', dataArg, '--model', 'embedding-dot-bias', '--out', modelDir, '-q'], { stdio: 'inherit' });
if (t.status !== 0) process.exit(1);

const server = spawn(process.execPath, [bin, 'serve', '--model', modelDir, '--port', '0', '--rate-limit', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let buf = '';
  server.stderr.on('data', (d) => {
    buf += d;
    const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${buf}`)));
});

const users = Array.from({ length: 200 }, (_, i) => String(i + 1));
const pairs = Array.from({ length: 100 }, (_, i) => ({ user: String((i % 900) + 1), item: String((i * 7) % 1600 + 1) }));
const cases = [
  { name: 'GET /recommend?k=10', requests: users.map((u) => ({ method: 'GET', path: `/recommend?user=${u}&k=10` })) },
  { name: 'GET /similar?k=10', requests: users.map((u) => ({ method: 'GET', path: `/similar?item=${u}&k=10` })) },
  { name: 'POST /score (100 pairs)', requests: [{ method: 'POST', path: '/score', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairs }) }] },
];
// CPU seconds the server process has used (Linux): requests per server CPU second is steadier than requests
// per second on a machine shared with other work.
const TICKS = 100;
const cpuSeconds = () => {
  const stat = `/proc/${server.pid}/stat`;
  if (!existsSync(stat)) return null;
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
};
const rows = [];
for (const c of cases) {
  const cpu0 = cpuSeconds();
  const r = await autocannon({ url, connections: 16, duration: Number(process.env.BENCH_SECONDS ?? 5), requests: c.requests });
  const cpu = cpu0 === null ? null : cpuSeconds() - cpu0;
  const perCpuSecond = cpu ? Math.round(r.requests.total / cpu) : null;
  rows.push({ endpoint: c.name, requestsPerSecond: r.requests.average, requestsPerServerCpuSecond: perCpuSecond, p50ms: r.latency.p50, p99ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx, total: r.requests.total });
}
server.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });

console.log(`collab serve, ${data ?? 'synthetic 100k ratings'}, embedding-dot-bias; autocannon 16 connections over loopback; ${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}`);
console.log('| endpoint | req/s | req per server CPU s | p50 (ms) | p99 (ms) | errors | non-2xx |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.endpoint} | ${Math.round(r.requestsPerSecond)} | ${r.requestsPerServerCpuSecond ?? 'n/a'} | ${r.p50ms} | ${r.p99ms} | ${r.errors} | ${r.non2xx} |`);
if (!process.env.COLLAB_BIN) writeFileSync(new URL('./serve-results.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), data: data ?? 'synthetic', rows }, null, 2)}\n`);
