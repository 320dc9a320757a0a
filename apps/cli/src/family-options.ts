import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { UsageError } from '@collab-ts/core';
import { getFamily, listFamilies, resolveFamilyOptions } from '@collab-ts/models';
import type { FamilyOption, FamilySpec } from '@collab-ts/models';
import { appliedConfig } from './config.js';
import { DEFAULT_MODEL } from './model-choice.js';
import { finiteNumber, intList, nonNegativeInt, positiveInt, range } from './parse.js';

/**
 * Command-line flags generated from the model-family registry: every option of every family becomes a
 * `--kebab-case` flag (one flag per name across families), parsed by the option's declared type, with no
 * commander default so that each family's own default applies; the help lists the defaults per family.
 */

/** A family option name as a flag: `embDropout` -> `emb-dropout`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** One flag and the families that declare it. */
export interface FamilyFlag {
  readonly option: FamilyOption;
  readonly families: FamilySpec[];
}

/** The union of the options of `families` by name, in first-declared order. */
export function familyFlags(families: readonly FamilySpec[] = listFamilies()): Map<string, FamilyFlag> {
  const flags = new Map<string, FamilyFlag>();
  for (const f of families) {
    for (const o of f.options) {
      const prev = flags.get(o.name);
      if (prev) prev.families.push(f);
      else flags.set(o.name, { option: o, families: [f] });
    }
  }
  return flags;
}

function formatDefault(v: unknown): string {
  if (v === null) return 'none';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

/** Which families a flag applies to, in words: all of them, "gradient models", or their kinds. */
function scopeOf(flag: FamilyFlag, all: readonly FamilySpec[]): string {
  if (flag.families.length === all.length) return '';
  const method = flag.families[0].method;
  const sameMethod = all.filter((f) => f.method === method);
  if (sameMethod.length > 1 && sameMethod.length === flag.families.length && flag.families.every((f) => f.method === method)) return `${method} models`;
  return flag.families.map((f) => f.kind).join(', ');
}

/** The defaults of a flag per family: `50`, or `50 for dot, dot-bias; 64 for ials`. */
function defaultsOf(flag: FamilyFlag): string {
  const groups = new Map<string, string[]>();
  const derived: string[] = [];
  for (const f of flag.families) {
    const o = f.options.find((x) => x.name === flag.option.name)!;
    if (o.default === undefined) derived.push(f.kind); // derived from the data: the family's help says how
    else groups.set(formatDefault(o.default), [...(groups.get(formatDefault(o.default)) ?? []), f.kind]);
  }
  if (groups.size === 0) return '';
  if (derived.length > 0) groups.set('from the data', derived);
  if (groups.size === 1) {
    const [[value, kinds]] = [...groups];
    return kinds.length === flag.families.length ? `default ${value}` : `default ${value} for ${kinds.join(', ')}`;
  }
  return `default ${[...groups].map(([value, kinds]) => `${value} for ${kinds.join(', ')}`).join('; ')}`;
}

function checkBounds(o: FamilyOption, n: number, value: string): number {
  if ((o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) {
    throw new InvalidArgumentError(`expected a value in [${o.min ?? '-inf'}, ${o.max ?? 'inf'}], got "${value}"`);
  }
  return n;
}

function parserFor(o: FamilyOption): (value: string) => unknown {
  const nullable = (parse: (value: string) => unknown) => (value: string) => (o.nullable && value === 'none' ? 'none' : parse(value));
  switch (o.type) {
    case 'int':
      if (o.min === 1 && o.max === undefined) return nullable(positiveInt);
      if (o.min === 0 && o.max === undefined) return nullable(nonNegativeInt);
      return nullable((value) => {
        const n = Number(value);
        if (value.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
        return checkBounds(o, n, value);
      });
    case 'number':
      return nullable((value) => checkBounds(o, finiteNumber(value), value));
    case 'boolean':
      return (value: string) => {
        const v = value.trim().toLowerCase();
        if (['true', 'yes', '1', 'on'].includes(v)) return true;
        if (['false', 'no', '0', 'off'].includes(v)) return false;
        throw new InvalidArgumentError(`expected true or false, got "${value}"`);
      };
    case 'int[]':
      return nullable((value) => intList(value).map((n) => checkBounds(o, n, value)));
    case 'range':
      return range;
    default:
      return nullable((value) => value);
  }
}

const PLACEHOLDER: Record<FamilyOption['type'], string> = { int: '<n>', number: '<x>', boolean: '[bool]', string: '<value>', 'int[]': '<list>', range: '<lo,hi>' };
const JSON_TYPE: Record<FamilyOption['type'], string | string[]> = {
  int: 'number',
  number: 'number',
  boolean: 'boolean',
  string: 'string',
  'int[]': ['array', 'string'],
  range: ['array', 'string', 'null'],
};

/** A commander option for one family flag (no default; the help names each family's default). */
export function familyOption(flag: FamilyFlag, all: readonly FamilySpec[]): Option {
  const o = flag.option;
  const placeholder = o.type === 'string' && o.choices ? '<name>' : PLACEHOLDER[o.type];
  const notes = [scopeOf(flag, all), defaultsOf(flag), o.nullable || o.type === 'range' ? '"none" for null' : ''].filter((s) => s !== '');
  const help = notes.length > 0 ? `${o.help} (${notes.join('; ')})` : o.help;
  const opt = new Option(`--${kebab(o.name)} ${placeholder}`, help);
  if (o.type === 'string' && o.choices) opt.choices([...o.choices]);
  else opt.argParser(parserFor(o));
  // config.ts reads this to describe the option in collab.config.schema.json: its type, and its default when every family shares one
  const type = o.nullable && !Array.isArray(JSON_TYPE[o.type]) ? [JSON_TYPE[o.type] as string, 'null'] : JSON_TYPE[o.type];
  // families that differ: the default model's own default (what a run without --model uses)
  const defaults = new Set(flag.families.map((f) => f.options.find((x) => x.name === o.name)!.default).map((d) => (d === undefined ? 'from the data' : JSON.stringify(d))));
  const main = flag.families.find((f) => f.kind === DEFAULT_MODEL)?.options.find((x) => x.name === o.name);
  const shared = defaults.size === 1 && o.default !== undefined ? { default: o.default } : main && main.default !== undefined ? { default: main.default } : {};
  (opt as Option & { schema?: Record<string, unknown> }).schema = o.type === 'string' && o.choices ? shared : { type, ...shared };
  return opt;
}

/**
 * Adds a flag for every option of `families` (default: every registered family) that the command does not
 * already have. `exclude` names options to leave out (for example the training schedule in `lr-find`).
 */
export function addFamilyOptions(cmd: Command, families: readonly FamilySpec[] = listFamilies(), exclude: readonly string[] = []): Command {
  const taken = new Set(cmd.options.map((o) => o.long));
  for (const [name, flag] of familyFlags(families)) {
    if (exclude.includes(name) || taken.has(`--${kebab(name)}`)) continue;
    cmd.addOption(familyOption(flag, families));
  }
  return cmd;
}

/** A family's options picked from parsed flags (`"none"` becomes `null`; flags not given are left out). */
export function pickFamilyOptions(spec: FamilySpec, opts: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of spec.options) {
    let v = opts[o.name];
    if (v === 'none' && (o.nullable || o.type === 'range')) v = null;
    if (v !== undefined) out[o.name] = v;
  }
  return out;
}

/**
 * Checks, before any data is read, that the flags typed apply to at least one of the chosen families and
 * that their values are valid for each family. Options that came from a config file's shared keys are not
 * held against a family that lacks them. `shared` names options the command uses itself (the split seed).
 * Returns each family's resolved options (defaults filled in).
 * @throws UsageError naming the flag and the families' options.
 */
export function checkFamilyOptions(kinds: readonly string[], opts: Readonly<Record<string, unknown>>, shared: readonly string[] = []): Map<string, Record<string, unknown>> {
  const specs = kinds.map((k) => getFamily(k));
  const fromConfig = appliedConfig()?.values ?? {};
  for (const [name, flag] of familyFlags()) {
    if (opts[name] === undefined || shared.includes(name) || name in fromConfig) continue;
    if (!specs.some((s) => flag.families.includes(s))) {
      const own = specs.map((s) => `${s.kind}: ${s.options.map((o) => `--${kebab(o.name)}`).join(' ') || 'none'}`).join('; ');
      throw new UsageError(`--${kebab(name)} does not apply to ${kinds.join(', ')} (options of ${own}; see collab models)`);
    }
  }
  const resolved = new Map<string, Record<string, unknown>>();
  for (const s of specs) resolved.set(s.kind, resolveFamilyOptions(s, pickFamilyOptions(s, opts)));
  return resolved;
}
