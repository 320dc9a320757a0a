// Build-time WebAssembly: `import kernel from './x.wat'` becomes the module's bytes as a base64 string,
// compiled from the WAT text with wabt (the WebAssembly Binary Toolkit's npm build). One plugin shape for
// tsup/esbuild (the package build) and one for vite (vitest runs the sources), so both see the same bytes
// and the built JS carries the kernel inline: no file to fetch or read at run time, in Node or a browser.
import { readFileSync } from 'node:fs';
import initWabt from 'wabt';

let wabtReady;

/**
 * Compiles WAT text to the bytes of a validated module (SIMD enabled), as base64.
 * @param {string} path
 * @returns {Promise<string>}
 */
export async function compileWat(path) {
  wabtReady ??= initWabt();
  const wabt = await wabtReady;
  const module = wabt.parseWat(path, readFileSync(path, 'utf8'), { simd: true });
  try {
    module.validate();
    const { buffer } = module.toBinary({ log: false, write_debug_names: false });
    return Buffer.from(buffer).toString('base64');
  } finally {
    module.destroy();
  }
}

const moduleCode = (base64) => `export default ${JSON.stringify(base64)};\n`;

/** esbuild (tsup) plugin: `.wat` imports load as the compiled module's base64. */
export function watEsbuildPlugin() {
  return {
    name: 'wat',
    setup(build) {
      build.onLoad({ filter: /\.wat$/ }, async (args) => ({ contents: moduleCode(await compileWat(args.path)), loader: 'js' }));
    },
  };
}

/** vite (vitest) plugin: the same for the test runner. */
export function watVitePlugin() {
  return {
    name: 'wat',
    async load(id) {
      if (!id.endsWith('.wat')) return null;
      return moduleCode(await compileWat(id));
    },
  };
}
