/**
 * Shared tsup options: ESM + CJS + .d.ts from `src/index.ts` (plus any extra entries a package names).
 * @param {import('tsup').Options} [overrides]
 * @returns {import('tsup').Options}
 */
export function preset(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    // shared chunks, so classes are one class across entries (instanceof holds under require too)
    splitting: true,
    ...overrides,
  };
}
