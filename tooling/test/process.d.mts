import type { SpawnOptions } from 'node:child_process';

export interface RunOptions extends Omit<SpawnOptions, 'stdio' | 'timeout'> {
  /** Kill the child (SIGKILL) after this many milliseconds; 0 for no limit. Default 120 000. */
  timeout?: number;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
}

export interface RunResult {
  /** Exit code, or -1 when the child was killed by a signal. */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when `timeout` ran out and the child was killed. */
  timedOut: boolean;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

/** Runs a command to completion without blocking the event loop and collects its output. */
export function runProcess(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;

/** Maps `fn` over `items` with at most `limit` calls in flight; results keep the order of `items`. */
export function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]>;
