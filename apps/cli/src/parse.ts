import { InvalidArgumentError } from 'commander';

/** Commander parser for a positive integer option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** Commander parser for a non-negative integer option (seeds). */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

/** Commander parser for a finite number. */
export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** Commander parser for a fraction strictly between 0 and 1. */
export function fraction(value: string): number {
  const n = finiteNumber(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a fraction between 0 and 1, got "${value}"`);
  return n;
}

/** Commander parser for a comma-separated list of positive integers (`--layers 100,50`). */
export function intList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of sizes, got "${value}"`);
  return parts.map(positiveInt);
}

/** Commander parser for a `lo,hi` range (`--y-range 0,5.5`), or `'none'` (commander turns a null result into ''). */
export function range(value: string): [number, number] | 'none' {
  if (value === 'none') return 'none';
  const parts = value.split(',');
  if (parts.length !== 2) throw new InvalidArgumentError(`expected "lo,hi" (for example 0,5.5) or "none", got "${value}"`);
  const [lo, hi] = parts.map(finiteNumber);
  if (!(lo < hi)) throw new InvalidArgumentError(`the range's low end must be below its high end, got "${value}"`);
  return [lo, hi];
}

/** Commander parser for a fraction in [0, 1): 0 means none (`--valid-pct 0`: no validation). */
export function fractionOrZero(value: string): number {
  const n = finiteNumber(value);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a fraction in [0, 1), got "${value}"`);
  return n;
}
