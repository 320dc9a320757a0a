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
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
      ...overrides,
    },
  });
}
