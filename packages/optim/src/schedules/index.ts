/**
 * Schedules: functions of training progress (0..1) and the {@link Scheduler} that applies them.
 * @module
 */
export type { Schedule, SchedulePair } from './schedule.js';
export { constant, linear, cosine, exponential, polynomial } from './curves.js';
export { step } from './step.js';
export { combine } from './combine.js';
export { warmup, linearWarmup, warmupPct } from './warmup.js';
export type { WarmupLength, WarmupOptions } from './warmup.js';
export { oneCycle } from './one-cycle.js';
export type { OneCycle, OneCycleOptions } from './one-cycle.js';
export { flatCosine } from './flat-cosine.js';
export type { FlatCosineOptions } from './flat-cosine.js';
export { scheduleByName, scheduleNames } from './by-name.js';
export type { ScheduleName, NamedScheduleOptions } from './by-name.js';
export { Scheduler } from './scheduler.js';
export type { SchedulerOptions } from './scheduler.js';
