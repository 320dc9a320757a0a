import { UsageError } from '@collab-ts/core';
import type { FamilyOption, FamilySpec } from './family.js';

import { BUILTIN_FAMILIES } from '../families/index.js';

const families = new Map<string, FamilySpec>(BUILTIN_FAMILIES.map((f) => [f.kind, f]));

/**
 * Registers a model family under its kind (as TensorFlow.js registers a kernel under its name). A kind can
 * be registered once; re-registering the same spec object is a no-op.
 */
export function registerFamily(spec: FamilySpec): void {
  const prev = families.get(spec.kind);
  if (prev && prev !== spec) throw new Error(`model family ${spec.kind} is already registered`);
  families.set(spec.kind, spec);
}

/** Every registered family, in registration order. */
export function listFamilies(): FamilySpec[] {
  return [...families.values()];
}

/** The registered kinds, in registration order. */
export function familyKinds(): string[] {
  return [...families.keys()];
}

/** Whether a kind is registered. */
export function hasFamily(kind: string): boolean {
  return families.has(kind);
}

/** The family registered under `kind`. @throws UsageError naming the known kinds. */
export function getFamily(kind: string): FamilySpec {
  const f = families.get(kind);
  if (!f) throw new UsageError(`unknown model ${JSON.stringify(kind)}; expected one of ${familyKinds().join(', ')}`);
  return f;
}

function checkValue(kind: string, o: FamilyOption, v: unknown): unknown {
  const bad = (what: string): never => {
    throw new UsageError(`${kind}: option ${o.name} must be ${what}, got ${JSON.stringify(v)}`);
  };
  if (v === null) return o.nullable ? null : bad(`a ${o.type}`);
  const inRange = (x: number) => (o.min === undefined || x >= o.min) && (o.max === undefined || x <= o.max);
  const range = o.min !== undefined || o.max !== undefined ? ` in [${o.min ?? '-inf'}, ${o.max ?? 'inf'}]` : '';
  switch (o.type) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && inRange(v) ? v : bad(`an integer${range}`);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) && inRange(v) ? v : bad(`a finite number${range}`);
    case 'boolean':
      return typeof v === 'boolean' ? v : bad('true or false');
    case 'string':
      if (typeof v !== 'string') return bad('a string');
      return !o.choices || o.choices.includes(v) ? v : bad(`one of ${o.choices.join(', ')}`);
    case 'int[]':
      return Array.isArray(v) && v.every((x) => Number.isInteger(x) && inRange(x as number)) ? [...(v as number[])] : bad(`a list of integers${range}`);
    case 'range':
      return Array.isArray(v) && v.length === 2 && v.every(Number.isFinite) && (v[0] as number) < (v[1] as number) ? [v[0], v[1]] : bad('[lo, hi] with lo < hi');
  }
}

/**
 * A family's options with defaults filled in and every value checked against its declared type.
 * `undefined` values take the default. @throws UsageError for unknown names (naming the known ones) and bad values.
 */
export function resolveFamilyOptions(spec: FamilySpec, given: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = new Set(spec.options.map((o) => o.name));
  for (const name of Object.keys(given)) {
    if (given[name] !== undefined && !known.has(name)) {
      throw new UsageError(`${spec.kind} has no option ${JSON.stringify(name)}; its options are ${[...known].join(', ')}`);
    }
  }
  for (const o of spec.options) {
    const v = given[o.name];
    out[o.name] = v === undefined ? structuredClone(o.default) : checkValue(spec.kind, o, v);
  }
  return out;
}
