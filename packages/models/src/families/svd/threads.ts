import type { EpochRunner } from './epoch-runner.js';
import type { RatingBlocks } from './rating-blocks.js';
import { sgdBlock } from './sgd-block.js';
import type { SvdStep, SvdTables } from './sgd-block.js';

// Node-only: worker_threads over SharedArrayBuffer tables, reached through a dynamic import with a variable
// specifier (bundlers for browsers leave it alone, and browsers never get here: `threads` falls back to 1).
// Scheduling is LibMF's: a thread takes a block whose user group and item group no other thread holds, so
// no two threads ever touch the same row and no update is lost or torn. Everything here sits in this one file
// so it can later move onto core's generic worker pool.

/** The parts of node:worker_threads this file uses. */
interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (m: unknown) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

type WorkerClass = new (source: string, options: { eval: true }) => NodeWorker;

/** Layout of the shared control words (Int32): the lock, the epoch, unclaimed blocks, a release counter, then
 * the busy flags of the user groups and item groups, each block's last epoch and the epoch's block order. */
const LOCK = 0;
const EPOCH = 1;
const LEFT = 2;
const HEAD = 4;

/**
 * The loop each worker runs for an epoch: claim a free block under the lock (the first of the epoch's
 * order whose user and item groups are idle), train it with the same kernel as one thread does, free its
 * groups, repeat until no block is left. Self-contained: it is shipped to the workers as source text.
 */
function workerEpoch(kernel: typeof sgdBlock, ctl: Int32Array, tables: SvdTables, blocks: RatingBlocks, epoch: number, step: SvdStep): number {
  const g = blocks.grid;
  const nb = g * g;
  const row = 4;
  const col = 4 + g;
  const claim = 4 + 2 * g;
  const order = 4 + 2 * g + nb;
  const off = blocks.offsets;
  let sse = 0;
  for (;;) {
    while (Atomics.compareExchange(ctl, 0, 0, 1) !== 0) {
      // the lock is held for one short scan: spin
    }
    if (ctl[2] === 0) {
      Atomics.store(ctl, 0, 0);
      break;
    }
    let pick = -1;
    for (let k = 0; k < nb; k++) {
      const b = ctl[order + k];
      if (ctl[claim + b] === epoch) continue;
      const a = (b / g) | 0;
      if (ctl[row + a] === 0 && ctl[col + b - a * g] === 0) {
        pick = b;
        break;
      }
    }
    const a = (pick / g) | 0;
    const c = pick - a * g;
    if (pick >= 0) {
      ctl[claim + pick] = epoch;
      ctl[row + a] = 1;
      ctl[col + c] = 1;
      ctl[2]--;
    }
    const seen = Atomics.load(ctl, 3);
    Atomics.store(ctl, 0, 0);
    if (pick < 0) {
      // every unclaimed block shares a group with a running one: wait for a release
      Atomics.wait(ctl, 3, seen, 10);
      continue;
    }
    sse += kernel(tables, blocks, off[pick], off[pick + 1], step);
    while (Atomics.compareExchange(ctl, 0, 0, 1) !== 0) {
      // spin
    }
    ctl[row + a] = 0;
    ctl[col + c] = 0;
    Atomics.add(ctl, 3, 1);
    Atomics.store(ctl, 0, 0);
    Atomics.notify(ctl, 3);
  }
  return sse;
}

/** The worker's script: the kernel and the epoch loop as source text, and a message loop around them. */
function workerSource(): string {
  return [
    "const { parentPort } = require('node:worker_threads');",
    `const kernel = (${sgdBlock.toString()});`,
    `const runEpoch = (${workerEpoch.toString()});`,
    'let job = null;',
    'parentPort.on("message", (m) => {',
    '  if (m.type === "job") { job = m; return; }',
    '  if (m.type === "release") { job = null; return; }',
    '  try { parentPort.postMessage({ sse: runEpoch(kernel, job.ctl, job.tables, job.blocks, m.epoch, m.step) }); }',
    '  catch (e) { parentPort.postMessage({ error: String((e && e.stack) || e) }); }',
    '});',
  ].join('\n');
}

/** A pooled worker and the reply it is waiting for. */
interface Pooled {
  readonly worker: NodeWorker;
  pending: { resolve: (sse: number) => void; reject: (e: Error) => void } | null;
}

let pool: Pooled[] = [];
let WorkerCtor: WorkerClass | null = null;

/** Whether worker threads can run here (Node with worker_threads and SharedArrayBuffer). */
export function threadsAvailable(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof SharedArrayBuffer === 'function' && typeof p?.versions?.node === 'string';
}

/** The machine's cores (Node's `availableParallelism`), 1 where that cannot be asked. */
export async function availableCores(): Promise<number> {
  if (!threadsAvailable()) return 1;
  const name = 'node:os';
  const os = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as { availableParallelism?: () => number; cpus: () => unknown[] };
  return Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
}

function settle(p: Pooled, outcome: { sse: number } | { error: Error }): void {
  const pending = p.pending;
  p.pending = null;
  if (!pending) return;
  if ('error' in outcome) pending.reject(outcome.error);
  else pending.resolve(outcome.sse);
}

async function workers(n: number): Promise<Pooled[]> {
  if (!WorkerCtor) {
    const name = 'node:worker_threads';
    WorkerCtor = ((await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as { Worker: WorkerClass }).Worker;
  }
  while (pool.length < n) {
    const p: Pooled = { worker: new WorkerCtor(workerSource(), { eval: true }), pending: null };
    p.worker.on('message', (m) => {
      const r = m as { sse?: number; error?: string };
      settle(p, r.error !== undefined ? { error: new Error(`svd worker thread failed: ${r.error}`) } : { sse: r.sse ?? 0 });
    });
    p.worker.on('error', (e) => settle(p, { error: e }));
    p.worker.on('exit', (code) => {
      pool = pool.filter((x) => x !== p);
      settle(p, { error: new Error(`svd worker thread exited (code ${code})`) });
    });
    p.worker.unref();
    pool.push(p);
  }
  return pool.slice(0, n);
}

/**
 * `threads` workers training the blocks of one fit. `tables` and `blocks` must live in SharedArrayBuffers.
 * The workers are pooled (unreferenced between fits, so they never keep a process alive).
 */
export async function threadedRunner(tables: SvdTables, blocks: RatingBlocks, threads: number): Promise<EpochRunner> {
  const g = blocks.grid;
  const nb = g * g;
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (HEAD + 2 * g + 2 * nb)));
  const ws = await workers(threads);
  for (const p of ws) {
    p.worker.ref();
    p.worker.postMessage({ type: 'job', ctl, tables, blocks });
  }
  let epoch = 0;
  return {
    threads,
    async epoch(blockOrder, step) {
      epoch++;
      ctl.set(blockOrder, HEAD + 2 * g + nb);
      Atomics.store(ctl, LEFT, nb);
      Atomics.store(ctl, EPOCH, epoch);
      const replies = ws.map(
        (p) =>
          new Promise<number>((resolve, reject) => {
            p.pending = { resolve, reject };
            p.worker.postMessage({ type: 'epoch', epoch, step });
          }),
      );
      let parts: number[];
      try {
        parts = await Promise.all(replies);
      } catch (err) {
        // a broken worker may hold a block forever: end them all; the next fit starts fresh ones
        for (const p of ws) void p.worker.terminate();
        pool = [];
        throw err;
      }
      // the lock word orders the workers' table writes before the main thread's reads
      Atomics.load(ctl, LOCK);
      let sse = 0;
      for (const s of parts) sse += s;
      return sse;
    },
    close() {
      for (const p of ws) {
        p.worker.postMessage({ type: 'release' });
        p.worker.unref();
      }
    },
  };
}
