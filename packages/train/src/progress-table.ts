import type { Callback, EpochInfo } from './callback.js';

/** Formats one row of the epoch table (fastai's: epoch, train_loss, valid_loss, time). */
export function formatEpochRow(info: EpochInfo): string {
  const valid = info.validLoss === null ? '-' : info.validLoss.toFixed(6);
  return [
    String(info.epoch).padEnd(6),
    info.trainLoss.toFixed(6).padEnd(11),
    valid.padEnd(11),
    formatSeconds(info.seconds),
  ].join('  ');
}

/** The header line matching {@link formatEpochRow}. */
export const EPOCH_TABLE_HEADER = ['epoch', 'train_loss', 'valid_loss', 'time'].map((h, i) => h.padEnd([6, 11, 11, 0][i])).join('  ');

/** `mm:ss` under an hour, seconds with decimals for short epochs (as fastai's table shows time). */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(2)}s`;
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${String(Math.round(s - m * 60)).padStart(2, '0')}`;
}

/** Prints the epoch table line by line through `write` (stderr in the CLI). */
export class ProgressTable implements Callback {
  readonly name = 'progress-table';
  private headerDone = false;
  constructor(private readonly write: (line: string) => void) {}

  afterEpoch(_learner: unknown, info: EpochInfo): void {
    if (!this.headerDone) {
      this.write(EPOCH_TABLE_HEADER);
      this.headerDone = true;
    }
    this.write(formatEpochRow(info));
  }
}
