import { JsonReporter } from 'vitest/reporters';

/**
 * vitest's JSON reporter, plus what it leaves out: errors raised outside any test (an unhandled rejection, a
 * worker that timed out talking to the main process, `Timeout calling "onTaskUpdate"`) make vitest exit 1 while
 * its JSON report still says every test passed. This one adds `numUnhandledErrors` and `unhandledErrors`
 * (messages) to the report and sets `success` to false when there are any, so the root summary counts them.
 */
export class JsonReporterWithErrors extends JsonReporter {
  /** @type {unknown[]} */
  unhandled = [];

  /**
   * @param {import('vitest/node').RunnerTestFile[] | undefined} files
   * @param {unknown[] | undefined} errors
   * @param {unknown} coverage
   */
  async onFinished(files, errors, coverage) {
    this.unhandled = errors ?? [];
    await super.onFinished(files, errors, coverage);
  }

  /** @param {string} report */
  async writeReport(report) {
    const r = JSON.parse(report);
    r.numUnhandledErrors = this.unhandled.length;
    r.unhandledErrors = this.unhandled.map(describeError);
    if (this.unhandled.length > 0) r.success = false;
    await super.writeReport(JSON.stringify(r));
  }
}

/** @param {unknown} e */
function describeError(e) {
  if (e && typeof e === 'object') {
    const o = /** @type {{ name?: unknown, message?: unknown }} */ (e);
    const name = typeof o.name === 'string' ? o.name : 'Error';
    if (typeof o.message === 'string') return `${name}: ${o.message}`;
  }
  return String(e);
}
