import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, Option } from 'commander';
import { UsageError } from '@collab-ts/core';

/** The file picked up from the working directory when no `--config` is given. */
export const DEFAULT_CONFIG_FILE = 'collab.config.json';

/** What {@link applyConfig} did: the file it read and the flags it added, for `--config` runs to print. */
export interface AppliedConfig {
  file: string;
  command: string;
  values: Record<string, unknown>;
}

type ConfigFile = Record<string, unknown>;

let current: AppliedConfig | null = null;

/** The config applied to this run, if any (commands print their resolved options when there is one). */
export function appliedConfig(): AppliedConfig | null {
  return current;
}

function isLong(arg: string, o: Option): boolean {
  return (o.long !== undefined && (arg === o.long || arg.startsWith(`${o.long}=`))) || (o.short !== undefined && arg === o.short);
}

function flagValue(o: Option, v: unknown): string[] {
  if (o.isBoolean()) return v === true ? [o.long!] : [];
  if (Array.isArray(v)) return [o.long!, v.join(',')];
  if (v === null) return [o.long!, 'none'];
  if (typeof v === 'object') throw new UsageError(`config: ${o.attributeName()} must be a string, number, boolean or list`);
  return [o.long!, String(v)];
}

/**
 * Turns a config file into command-line flags for the command being run, so that config values go through
 * exactly the same parsing and validation as typed flags, and flags typed on the command line win. Keys are
 * option names in camelCase (`validPct`) or as flags (`valid-pct`); top-level keys apply to every command
 * that has the option, and a section named after a command (`"train": {...}`) overrides them for it.
 * Returns the new argv and what was applied (`null` when there is no config).
 */
export function applyConfig(program: Command, argv: string[]): { argv: string[]; applied: AppliedConfig | null } {
  const args = argv.slice(2);
  const sub = program.commands.find((c) => c.name() === args[0]);
  if (!sub) return { argv, applied: null };
  let file: string | undefined;
  const at = args.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (at >= 0) {
    file = args[at].includes('=') ? args[at].slice('--config='.length) : args[at + 1];
    if (!file) throw new UsageError('--config needs a file name');
    args.splice(at, args[at].includes('=') ? 1 : 2);
  } else if (existsSync(DEFAULT_CONFIG_FILE)) {
    file = DEFAULT_CONFIG_FILE;
  }
  if (!file) return { argv, applied: null };
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`--config ${file}: no such file`);
  let cfg: ConfigFile;
  try {
    cfg = JSON.parse(readFileSync(path, 'utf8')) as ConfigFile;
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) throw new UsageError(`${file}: the config must be a JSON object`);
  const section = cfg[sub.name()];
  const merged: Record<string, unknown> = { ...cfg };
  for (const c of program.commands) delete merged[c.name()];
  delete merged.$schema;
  if (section && typeof section === 'object') Object.assign(merged, section);
  const byKey = new Map<string, Option>();
  for (const o of sub.options) {
    byKey.set(o.attributeName(), o);
    if (o.long) byKey.set(o.long.slice(2), o);
  }
  const added: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(merged)) {
    const o = byKey.get(key);
    if (!o) {
      if (section && typeof section === 'object' && key in section) throw new UsageError(`${file}: "${sub.name()}" has no option ${JSON.stringify(key)}`);
      continue; // a top-level key for other commands
    }
    if (args.some((a) => isLong(a, o))) continue; // typed flags win
    added.push(...flagValue(o, value));
    values[o.attributeName()] = value;
  }
  current = { file, command: sub.name(), values };
  return { argv: [...argv.slice(0, 2), ...args, ...added], applied: current };
}

/** A JSON schema for `collab.config.json`, generated from the commands' own options. */
export function configSchema(program: Command): Record<string, unknown> {
  const optionSchema = (o: Option): Record<string, unknown> => {
    const s: Record<string, unknown> = { description: o.description };
    const generated = (o as Option & { schema?: Record<string, unknown> }).schema; // set on flags generated from the model registry
    if (o.isBoolean()) s.type = 'boolean';
    else if (o.argChoices) s.enum = o.argChoices;
    else if (typeof o.defaultValue === 'number') s.type = 'number';
    else if (Array.isArray(o.defaultValue)) s.type = ['array', 'string'];
    else s.type = ['string', 'number', 'array', 'null'];
    if (o.defaultValue !== undefined) s.default = o.defaultValue;
    if (generated) Object.assign(s, generated);
    return s;
  };
  const skip = new Set(['help', 'version', 'json', 'quiet']);
  const shared: Record<string, unknown> = {};
  const commands: Record<string, unknown> = {};
  for (const c of program.commands) {
    const props: Record<string, unknown> = {};
    for (const o of c.options) {
      if (skip.has(o.attributeName())) continue;
      props[o.attributeName()] = optionSchema(o);
      shared[o.attributeName()] ??= optionSchema(o);
    }
    commands[c.name()] = { type: 'object', description: c.description(), properties: props, additionalProperties: false };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'collab.config.json',
    description: 'Options for the collab CLI. Top-level keys apply to every command that has the option; a section named after a command overrides them. Flags typed on the command line win.',
    type: 'object',
    properties: { $schema: { type: 'string' }, ...shared, ...commands },
  };
}
