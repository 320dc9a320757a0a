import cliProgress from 'cli-progress';
import type { Output } from './output.js';

/** A progress bar that only draws on an interactive stderr; otherwise every call is a no-op. */
export interface Progress {
  start(total: number, label: string): void;
  update(value: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

/** Creates a progress bar for the given output (cli-progress on a TTY, silent elsewhere). */
export function createProgress(out: Output, format = '{label} |{bar}| {percentage}% | {value}/{total} | ETA {eta_formatted} {extra}'): Progress {
  if (!out.interactive) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 50, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(total, label) {
      bar.start(total, 0, { label, extra: '' });
      running = true;
    },
    update(value, payload) {
      if (running) bar.update(value, payload);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
