import { defineConfig } from 'vitest/config';
import { JsonReporterWithErrors } from './vitest/json-reporter.mjs';

/**
 * Shared vitest settings: tests beside the code, a JSON report for the root summary line (with the run's
 * unhandled errors counted, which vitest's own JSON report leaves out).
 * @param {import('vitest/config').UserConfig['test']} [overrides]
 */
export function preset(overrides = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', new JsonReporterWithErrors({})],
      outputFile: { json: '.reports/vitest.json' },
      // generous: the suite must pass on a loaded 2-core machine, where a test can run 10x slower than on an idle
      // one; a timeout is for catching hangs, not for measuring speed
      testTimeout: 300_000,
      hookTimeout: 300_000,
      pool: 'forks',
      ...overrides,
    },
  });
}
