import cliProgress from 'cli-progress';
import type { Output } from './output.js';

/** A progress bar that only draws on an interactive stderr; otherwise every call is a no-op. */
export interface Progress {
  /** Starts (or restarts) the bar at 0 of `total`; `payload` fills the format's own placeholders. */
  start(total: number, label: string, payload?: Record<string, string | number>): void;
  update(value: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

/** The placeholders cli-progress fills itself; every other `{name}` of a format is payload. */
const BUILT_IN = new Set(['bar', 'percentage', 'total', 'value', 'eta', 'eta_formatted', 'duration', 'duration_formatted']);

/** The payload placeholders of a cli-progress format (`{epoch}`, `{loss}`, ...), each set to `''`. */
export function payloadDefaults(format: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of format.matchAll(/\{(\w+)\}/g)) if (!BUILT_IN.has(m[1])) out[m[1]] = '';
  return out;
}

/**
 * Creates a progress bar for the given output (cli-progress on a TTY, silent elsewhere). The payload is
 * kept between calls and every placeholder of `format` starts as `''`, so no frame ever shows a raw
 * `{name}`, not even the one drawn by `start`.
 */
export function createProgress(
  out: Output,
  format = '{label} |{bar}| {percentage}% | {value}/{total} | ETA {eta_formatted} {extra}',
  stream: NodeJS.WritableStream = process.stderr,
): Progress {
  if (!out.interactive) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format, stream, hideCursor: true, clearOnComplete: true, etaBuffer: 50, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  let payload: Record<string, string | number> = payloadDefaults(format);
  let running = false;
  return {
    start(total, label, extra) {
      payload = { ...payload, ...extra, label };
      if (running) bar.stop();
      bar.start(total, 0, { ...payload });
      running = true;
    },
    update(value, extra) {
      if (extra) payload = { ...payload, ...extra };
      if (running) bar.update(value, { ...payload });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
