import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import { registerWorkerTasks } from '@collab-ts/core';
import { defaultThreads, WorkerPool } from '@collab-ts/core/node';
import { positiveInt } from './parse.js';
import { tasks } from './workers/tasks.js';

// the built worker module next to the bundle (dist/workers/tasks.js); inline runs call `tasks` directly
const TASKS = new URL('./workers/tasks.js', import.meta.url);
registerWorkerTasks(TASKS, tasks);

/** The options of a command that takes `--threads`. */
export interface ThreadsFlag {
  threads?: number;
}

/**
 * `--threads <n>`, the one definition every command that can use several cores shares: worker threads for
 * scoring, ranking metrics, cross-validation folds and the ALS solves. Results do not depend on it.
 */
export function threadsOption(): Option {
  return new Option('--threads <n>', 'worker threads (default: all cores); 1 runs everything on the main thread; the results are the same for any number').argParser(positiveInt);
}

/**
 * A worker pool of `--threads` threads (default all cores). Run from the TypeScript sources (tests of the
 * commands in-process), where there is no built worker module to start, it runs inline.
 */
export function openPool(flags: ThreadsFlag): WorkerPool {
  const threads = flags.threads ?? defaultThreads();
  const built = TASKS.protocol !== 'file:' || existsSync(fileURLToPath(TASKS));
  return new WorkerPool({ threads: built ? threads : 1 });
}

/** Runs `fn` with a pool for `--threads` and closes the pool afterwards. */
export async function withPool<T>(flags: ThreadsFlag, fn: (pool: WorkerPool) => Promise<T>): Promise<T> {
  const pool = openPool(flags);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}
