import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings: tests beside the code, a JSON report for the root summary line.
 * @param {import('vitest/config').UserConfig['test']} [overrides]
 */
export function preset(overrides = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: '.reports/vitest.json' },
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
      ...overrides,
    },
  });
}
