import { CollabError, DataError, DivergenceError, UnknownIdError, UsageError } from '../errors.js';
import { IndexRangeError } from '../index-range.js';
import { SafetensorsFormatError } from '../safetensors.js';

/** An error as a worker posts it: its class name, the names of its ancestors, message, stack and own fields. */
export interface PostedError {
  readonly name: string;
  readonly chain: readonly string[];
  readonly message: string;
  readonly stack: string | undefined;
  readonly props: Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorClass = abstract new (...args: any[]) => Error;

const KEY = Symbol.for('collab-ts.worker-error-classes');
const classes: Map<string, ErrorClass> = ((globalThis as Record<symbol, unknown>)[KEY] as Map<string, ErrorClass> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = new Map<string, ErrorClass>());

/**
 * Makes errors of class `cls` thrown in a worker arrive on the calling thread as instances of `cls` (same
 * message and own fields, so `instanceof` and `exitCode` hold). Core's own error classes are registered;
 * an unregistered class arrives as its nearest registered ancestor, else as a plain `Error` with its name.
 */
export function registerErrorClass(cls: ErrorClass): void {
  classes.set(cls.name, cls);
}

for (const cls of [Error, TypeError, RangeError, CollabError, UsageError, DataError, UnknownIdError, DivergenceError, IndexRangeError, SafetensorsFormatError]) {
  registerErrorClass(cls);
}

/** Rebuilds an error posted by a worker as an instance of its registered class, without calling its constructor. */
export function reviveError(posted: PostedError): Error {
  const cls = [posted.name, ...posted.chain].map((n) => classes.get(n)).find((c) => c !== undefined) ?? Error;
  const err = Object.create(cls.prototype as object) as Error;
  Object.defineProperty(err, 'message', { value: posted.message, writable: true, configurable: true });
  Object.assign(err, posted.props);
  Object.defineProperty(err, 'name', { value: posted.name, writable: true, configurable: true });
  if (posted.stack !== undefined) Object.defineProperty(err, 'stack', { value: posted.stack, writable: true, configurable: true });
  return err;
}
