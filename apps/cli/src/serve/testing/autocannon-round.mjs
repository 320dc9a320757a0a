/* global process, console */
// Test helper, run as a child process (its load must not share the server's event loop): one bounded round
// of autocannon against a `collab serve` on loopback.
//   node autocannon-round.mjs <base url> <requests JSON file> <seconds> <connections>
// Prints one JSON line: {"total", "statusCodes": {code: count}, "errors", "timeouts", "5xx", "rps"}.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, requestsFile, seconds, connections] = process.argv.slice(2);
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`loopback only, got ${url}`);
const requests = JSON.parse(readFileSync(requestsFile, 'utf8'));
const r = await autocannon({ url, requests, duration: Number(seconds), connections: Number(connections), timeout: 10 });
const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count]));
console.log(JSON.stringify({ total: r.requests.total, statusCodes, errors: r.errors, timeouts: r.timeouts, '5xx': r['5xx'], rps: r.requests.average }));
