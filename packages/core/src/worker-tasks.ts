/**
 * The registry of tasks that a worker pool can run, and the `TaskRunner` contract that browser-safe code
 * (a model's fit, a metric) accepts so a caller can hand it the Node pool from `@collab-ts/core/node`.
 * Nothing here starts a thread: a package registers a module of named task functions, the pool's workers
 * import that module by its URL, and a one-thread runner calls the same functions on the calling thread.
 */

/** A task: a plain function of one structured-cloneable input (SharedArrayBuffer-backed arrays are shared, not copied). */
export type WorkerTask<I = never, O = unknown> = (input: I) => O | Promise<O>;

/** A module's table of tasks by name; the module must export it as `tasks`. */
export type WorkerTaskTable = Readonly<Record<string, WorkerTask<never, unknown>>>;

/** Runs registered tasks, on worker threads or inline. `threads` is 1 for an inline runner. */
export interface TaskRunner {
  /** How many tasks run at once (1: inline on the calling thread). */
  readonly threads: number;
  /** Runs `task` once per input, as many at once as there are threads; results keep the order of `inputs`. */
  map<I, O>(task: string, inputs: readonly I[]): Promise<O[]>;
}

/** Where a task lives: the URL workers import, and the function itself for inline runs. */
export interface RegisteredTask {
  readonly module: string;
  readonly fn: WorkerTask<never, unknown>;
}

// one registry per process even when both the ESM and the CJS build of core are loaded
const KEY = Symbol.for('collab-ts.worker-tasks');
const registry: Map<string, RegisteredTask> = ((globalThis as Record<symbol, unknown>)[KEY] as Map<string, RegisteredTask> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = new Map<string, RegisteredTask>());

/**
 * Registers the tasks of a worker module under their names (use a package prefix: `ials.solveRows`).
 * `module` is the URL of the built module that exports the same table as `tasks`; resolve it next to the
 * caller with `new URL('./my-tasks.js', import.meta.url)` so it still points at the file after bundling.
 * Registering a name again replaces it.
 * @example
 * // my-tasks.ts (a build entry of its own, so it exists as dist/my-tasks.js)
 * export const tasks = { 'mypkg.sum': (a: Float64Array) => a.reduce((s, x) => s + x, 0) };
 * // index.ts
 * registerWorkerTasks(new URL('./my-tasks.js', import.meta.url), tasks);
 */
export function registerWorkerTasks(module: string | URL, tasks: WorkerTaskTable): void {
  const href = typeof module === 'string' ? module : module.href;
  for (const [name, fn] of Object.entries(tasks)) registry.set(name, { module: href, fn });
}

/** The registered task `name`. @throws Error naming the registered tasks when there is none. */
export function registeredTask(name: string): RegisteredTask {
  const t = registry.get(name);
  if (!t) throw new Error(`no worker task ${JSON.stringify(name)} is registered (registered: ${[...registry.keys()].join(', ') || 'none'})`);
  return t;
}

/** A runner that calls each task on the calling thread, one input after the other (what `threads: 1` means). */
export const inlineRunner: TaskRunner = {
  threads: 1,
  async map<I, O>(task: string, inputs: readonly I[]): Promise<O[]> {
    const fn = registeredTask(task).fn as unknown as WorkerTask<I, O>;
    const out: O[] = [];
    for (const input of inputs) out.push(await fn(input));
    return out;
  },
};

/**
 * Splits `0..n` into at most `parts` contiguous `[from, to)` ranges whose lengths differ by at most one
 * (no empty range unless `n` is 0, which gives one empty range).
 */
export function splitRange(n: number, parts: number): Array<[number, number]> {
  const p = Math.max(1, Math.min(Math.floor(parts), n));
  const out: Array<[number, number]> = [];
  for (let j = 0; j < p; j++) out.push([Math.floor((j * n) / p), Math.floor(((j + 1) * n) / p)]);
  return out;
}
