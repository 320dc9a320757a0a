import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { inlineRunner, registeredTask } from '../worker-tasks.js';
import type { TaskRunner } from '../worker-tasks.js';
import { reviveError } from './error-transfer.js';
import type { PostedError } from './error-transfer.js';
import { WORKER_SCRIPT } from './worker-script.js';

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Worker threads (default {@link defaultThreads}); 1 runs every task inline on the calling thread, with no worker. */
  threads?: number;
}

/** The default thread count: `os.availableParallelism()`. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

interface Job {
  readonly id: number;
  readonly module: string;
  /** `null`: only load the module (see `prepare`). */
  readonly task: string | null;
  readonly input: unknown;
  resolve(out: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
}

type Reply = { id: number; ok: true; out: unknown } | { id: number; ok: false; error: PostedError };

/**
 * A pool of worker threads that runs tasks registered with `registerWorkerTasks` (from `@collab-ts/core`).
 * Inputs and outputs are posted with structured clone, so typed arrays over a SharedArrayBuffer (see
 * `sharedArray`, `toShared`) are shared, not copied: tasks write their results into shared output arrays or
 * return small values. Workers start on first use and are reused; an idle worker never keeps the process
 * alive (it is unref'd), and `close()` terminates them. An error thrown by a task arrives on the caller as
 * the same class (when registered with `registerErrorClass`) with the same message.
 * @example
 * const pool = new WorkerPool({ threads: 2 });
 * try {
 *   const sums = await pool.map('mypkg.sum', [toShared(a), toShared(b)]);
 * } finally {
 *   await pool.close();
 * }
 */
export class WorkerPool implements TaskRunner {
  readonly threads: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    const n = options.threads ?? defaultThreads();
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`threads must be a positive integer, got ${String(n)}`);
    this.threads = n;
  }

  /** Worker threads started so far (they start on first use, or all at once on {@link prepare}). */
  get started(): number {
    return this.slots.length;
  }

  /** Runs one task; on a one-thread pool it runs inline. */
  async run<I, O>(task: string, input: I): Promise<O> {
    if (this.threads === 1) return (await inlineRunner.map<I, O>(task, [input]))[0];
    if (this.closed) throw new Error('the worker pool is closed');
    const { module } = registeredTask(task);
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, module, task, input, resolve: resolve as (out: unknown) => void, reject });
      this.dispatch();
    });
  }

  /**
   * Starts every worker now and has each load `task`'s module, so that later tasks do not wait for the
   * start: call it before slow work on this thread (reading the data, say) to overlap the two. Does nothing
   * on a one-thread pool. A module that fails to load fails the tasks that use it, not this call.
   */
  prepare(task: string): void {
    if (this.threads === 1 || this.closed) return;
    const { module } = registeredTask(task);
    for (let w = this.slots.length; w < this.threads; w++) {
      this.queue.push({ id: this.nextId++, module, task: null, input: null, resolve: () => {}, reject: () => {} });
    }
    this.dispatch();
  }

  /**
   * Runs `task` once per input, up to `threads` at once; results keep the order of `inputs`. When tasks
   * fail, it waits for the others and throws the error of the first failed input, as an inline run would.
   */
  async map<I, O>(task: string, inputs: readonly I[]): Promise<O[]> {
    if (this.threads === 1) return inlineRunner.map<I, O>(task, inputs);
    const settled = await Promise.allSettled(inputs.map((input) => this.run<I, O>(task, input)));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<O>).value);
  }

  /** Terminates the workers; tasks still queued or running are rejected. The pool cannot be used again. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new Error('the worker pool was closed');
    for (const job of this.queue.splice(0)) job.reject(gone);
    const slots = this.slots.splice(0);
    for (const s of slots) s.job?.reject(gone);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot) {
        if (this.slots.length >= this.threads) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      try {
        slot.worker.postMessage({ id: job.id, module: job.module, task: job.task, input: job.input });
      } catch (err) {
        job.reject(err as Error); // an input that cannot be cloned (a function, say) fails alone
        continue;
      }
      slot.job = job;
      slot.worker.ref(); // a task in flight keeps the process alive until it answers
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SCRIPT, { eval: true });
    worker.unref();
    const slot: Slot = { worker, job: null };
    this.slots.push(slot);
    worker.on('message', (reply: Reply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = null;
      worker.unref();
      if (reply.ok) job.resolve(reply.out);
      else job.reject(reviveError(reply.error));
      this.dispatch();
    });
    const lost = (err: Error): void => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const job = slot.job;
      slot.job = null;
      job?.reject(err);
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`a pool worker exited with code ${code}`)));
    return slot;
  }
}

/** Runs `fn` with a new pool and closes the pool afterwards, whatever happens. */
export async function withWorkerPool<T>(options: WorkerPoolOptions, fn: (pool: WorkerPool) => Promise<T>): Promise<T> {
  const pool = new WorkerPool(options);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}
