import { createRng, UsageError } from '@collab-ts/core';
import { resolveFamilyOptions } from '@collab-ts/models';
import type { FamilyOption, FamilySpec } from '@collab-ts/models';
import { kebab } from './family-options.js';

/** One axis of a search grid: an option of the family and the values to try. */
export interface GridAxis {
  name: string;
  values: unknown[];
}

function parseValue(o: FamilyOption, text: string, where: string): unknown {
  const v = text.trim();
  const bad = (what: string): never => {
    throw new UsageError(`--grid ${where}: ${JSON.stringify(v)} is not ${what}`);
  };
  if (v === 'none' && (o.nullable || o.type === 'range')) return null;
  switch (o.type) {
    case 'int':
    case 'number': {
      const n = Number(v);
      return v !== '' && Number.isFinite(n) ? n : bad('a number');
    }
    case 'boolean':
      return v === 'true' ? true : v === 'false' ? false : bad('true or false');
    case 'int[]':
      return v.split('/').map((p) => (Number.isInteger(Number(p)) && p !== '' ? Number(p) : bad('a list of integers written a/b/c')));
    case 'range': {
      const parts = v.split('/').map(Number);
      return parts.length === 2 && parts.every(Number.isFinite) ? parts : bad('a range written lo/hi, or none');
    }
    default:
      return v;
  }
}

/**
 * Parses a grid such as `factors=32,64;regularization=0.01,0.1` for one family: `;` between options, `,`
 * between values, option names in camelCase or as flags; list values are written `100/50`, ranges `0/5.5`,
 * and `none` is null. @throws UsageError for an unknown option, a repeated one, or a value of the wrong type.
 */
export function parseGrid(spec: string, family: FamilySpec): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const part of spec.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq < 1) throw new UsageError(`--grid: expected name=value,value, got ${JSON.stringify(part)}`);
    const key = part.slice(0, eq).trim();
    const o = family.options.find((x) => x.name === key || kebab(x.name) === key);
    if (!o) throw new UsageError(`--grid: ${family.kind} has no option ${JSON.stringify(key)}; its options are ${family.options.map((x) => x.name).join(', ')}`);
    if (axes.some((a) => a.name === o.name)) throw new UsageError(`--grid: ${o.name} is given twice`);
    const values = part.slice(eq + 1).split(',').filter((t) => t.trim() !== '').map((t) => parseValue(o, t, o.name));
    if (values.length === 0) throw new UsageError(`--grid: no values for ${o.name}`);
    axes.push({ name: o.name, values });
  }
  if (axes.length === 0) throw new UsageError('--grid is empty; e.g. --grid "factors=32,64;regularization=0.01,0.1"');
  return axes;
}

/** Every combination of the axes' values (the first axis varies slowest). */
export function gridPoints(axes: readonly GridAxis[]): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const a of axes) points = points.flatMap((p) => a.values.map((v) => ({ ...p, [a.name]: v })));
  return points;
}

/** `n` of the points drawn at random without replacement (seeded), or all of them when `n` covers the grid. */
export function samplePoints<T>(points: readonly T[], n: number, seed: number): T[] {
  if (n >= points.length) return [...points];
  const perm = createRng(seed).permutation(points.length);
  return Array.from(perm.subarray(0, n), (i) => points[i]);
}

/** Checks every setting against the family's option types before any fit. @throws UsageError naming the bad value. */
export function checkSettings(family: FamilySpec, settings: readonly Record<string, unknown>[]): void {
  for (const s of settings) resolveFamilyOptions(family, s);
}
