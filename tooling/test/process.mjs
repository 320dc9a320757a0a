// Child processes for tests, always asynchronous: a test that waits on spawnSync blocks its vitest worker, and
// on a loaded machine the worker then misses its own RPC deadlines (`Timeout calling "onTaskUpdate"`).
import { spawn } from 'node:child_process';

/**
 * Runs a command to completion without blocking the event loop and collects its output.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import('./process.d.mts').RunOptions} [options]
 * @returns {Promise<import('./process.d.mts').RunResult>}
 */
export function runProcess(command, args, options = {}) {
  const { timeout = 120_000, input, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { ...spawnOptions, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer =
      timeout > 0
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeout)
        : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
    child.stdin.on('error', () => {}); // a child that exits without reading its input
    child.stdin.end(input ?? '');
  });
}

/**
 * Maps `fn` over `items` with at most `limit` calls in flight; results keep the order of `items`.
 * @template T, R
 * @param {readonly T[]} items
 * @param {number} limit
 * @param {(item: T, index: number) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
export async function mapLimit(items, limit, fn) {
  /** @type {R[]} */
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i], i);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
