/**
 * Where the CLI writes: machine-readable results go to stdout alone, everything meant for a person (logs,
 * tables, progress) goes to stderr, so `collab ... --json | jq` always works.
 */
export interface Output {
  /** Prints a result for a person (stdout; suppressed in --json mode). */
  result(text: string): void;
  /** Prints the single JSON document of a --json run. */
  json(value: unknown): void;
  /** A log line on stderr (suppressed by --quiet and --json). */
  log(text: string): void;
  /** A warning on stderr: about data not used, for example; shown with --json too, suppressed by --quiet only. */
  warn(text: string): void;
  readonly jsonMode: boolean;
  readonly quiet: boolean;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
}

/** Builds the output channels for one command run. */
export function createOutput(opts: { json?: boolean; quiet?: boolean }): Output {
  const jsonMode = Boolean(opts.json);
  const quiet = Boolean(opts.quiet) || jsonMode;
  return {
    jsonMode,
    quiet,
    interactive: Boolean(process.stderr.isTTY) && !quiet,
    result(text) {
      if (!jsonMode) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    json(value) {
      process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
    },
    log(text) {
      if (!quiet) process.stderr.write(`${text}\n`);
    },
    warn(text) {
      if (!opts.quiet) process.stderr.write(`warning: ${text}\n`);
    },
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}
