/* global process, console, fetch, performance */
// Test helper, run as a child process so that the load it makes does not share the server's event loop:
//   node score-clients.mjs <base url> <body file> <clients> <requests per client>
// Posts the body to <base url>/score: first alone (3 to warm up, 6 timed), then from <clients> concurrent
// clients, then alone again (6 timed). Prints one JSON line per step on stdout: {"alone": [ms...]},
// {"event": "load-start"}, {"event": "load-end", "statuses": {...}}, {"alone": [ms...]}.
import { readFileSync } from 'node:fs';

const [base, bodyFile, clients, perClient] = process.argv.slice(2);
const body = readFileSync(bodyFile, 'utf8');
const statuses = {};
async function post() {
  const t = performance.now();
  const r = await fetch(`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await r.arrayBuffer();
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return performance.now() - t;
}
for (let i = 0; i < 3; i++) await post();
const alone = [];
for (let i = 0; i < 6; i++) alone.push(await post());
console.log(JSON.stringify({ alone }));
console.log(JSON.stringify({ event: 'load-start' }));
await Promise.all(
  Array.from({ length: Number(clients) }, async () => {
    for (let i = 0; i < Number(perClient); i++) await post();
  }),
);
console.log(JSON.stringify({ event: 'load-end', statuses }));
const after = [];
for (let i = 0; i < 6; i++) after.push(await post());
console.log(JSON.stringify({ alone: after }));
