import { UsageError } from '@collab-ts/core';
import type { Optimizer } from '../types.js';
import type { Schedule } from './schedule.js';

/** Options of {@link Scheduler}. */
export interface SchedulerOptions {
  /** Steps in the whole run (epochs x batches per epoch). */
  totalSteps: number;
  /**
   * Learning-rate schedule: one for the base `lr` (each group gets it times its `lrMult`), or one per
   * parameter group (set through `setLrs`).
   */
  lr?: Schedule | Schedule[];
  /** Momentum / beta1 schedule: one for all groups, or one per group (needs `setMoms`). */
  mom?: Schedule | Schedule[];
}

/**
 * Drives an optimizer's hyper-parameters from schedules, as fastai's `ParamScheduler` does: before step `i`
 * (counting from 0) it sets lr and mom to the schedules' values at progress `i / totalSteps`.
 * @example
 * const sched = new Scheduler(opt, { totalSteps, ...oneCycle({ lrMax: 5e-3 }) });
 * for (const batch of batches) { sched.next(); opt.step(gradsOf(batch)); }
 */
export class Scheduler {
  /** Steps in the whole run. */
  readonly totalSteps: number;
  private readonly lrScheds: Schedule | Schedule[] | undefined;
  private readonly momScheds: Schedule | Schedule[] | undefined;
  private readonly lrBuf: number[];
  private readonly momBuf: number[];
  private pos = 0;

  /** @param optimizer the optimizer whose `lr` / `mom` it sets */
  constructor(
    readonly optimizer: Optimizer,
    opts: SchedulerOptions,
  ) {
    const { totalSteps, lr, mom } = opts ?? ({} as SchedulerOptions);
    if (!Number.isInteger(totalSteps) || totalSteps <= 0) throw new UsageError(`Scheduler totalSteps must be an integer > 0, got ${String(totalSteps)}`);
    this.totalSteps = totalSteps;
    const groups = optimizer.groupCount;
    for (const [what, s] of [['lr', lr], ['mom', mom]] as const) {
      if (s === undefined || typeof s === 'function') continue;
      if (!Array.isArray(s) || s.some((f) => typeof f !== 'function')) throw new UsageError(`Scheduler ${what} must be a schedule or an array of schedules`);
      if (groups !== undefined && s.length !== groups) {
        throw new UsageError(`Scheduler ${what}: ${s.length} schedules for ${groups} parameter groups`);
      }
    }
    if (Array.isArray(mom) && !optimizer.setMoms) throw new UsageError('Scheduler: per-group mom schedules need an optimizer with setMoms');
    this.lrScheds = lr;
    this.momScheds = mom;
    this.lrBuf = Array.isArray(lr) ? new Array<number>(lr.length).fill(0) : [];
    this.momBuf = Array.isArray(mom) ? new Array<number>(mom.length).fill(0) : [];
  }

  /** Steps scheduled so far (the index of the next step). Set it to resume a run. */
  get position(): number {
    return this.pos;
  }

  set position(v: number) {
    if (!Number.isInteger(v) || v < 0) throw new UsageError(`Scheduler position must be an integer >= 0, got ${v}`);
    this.pos = v;
  }

  /** Progress of step `i`: `i / totalSteps`, at most 1. */
  pctAt(i: number): number {
    return Math.min(1, i / this.totalSteps);
  }

  /** Sets the optimizer's hyper-parameters for step `i` without moving the position. */
  apply(i: number): void {
    const pct = this.pctAt(i);
    const opt = this.optimizer;
    const lr = this.lrScheds;
    if (typeof lr === 'function') opt.lr = lr(pct);
    else if (lr) {
      for (let g = 0; g < lr.length; g++) this.lrBuf[g] = lr[g](pct);
      opt.setLrs(this.lrBuf);
    }
    const mom = this.momScheds;
    if (typeof mom === 'function') opt.mom = mom(pct);
    else if (mom) {
      for (let g = 0; g < mom.length; g++) this.momBuf[g] = mom[g](pct);
      opt.setMoms!(this.momBuf);
    }
  }

  /** Sets the hyper-parameters for the next step and advances; call it right before `optimizer.step`. */
  next(): void {
    this.apply(this.pos);
    this.pos++;
  }
}
