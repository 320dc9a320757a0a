import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// esbuild is not a dependency of this package; borrow tsup's copy when it can be found.
/** The part of esbuild's API used here (its types are not resolvable from this package). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}
let esbuild: Esbuild | null = null;
try {
  const req = createRequire(import.meta.url);
  esbuild = createRequire(req.resolve('tsup'))('esbuild') as Esbuild;
} catch {
  console.warn("esbuild (via tsup) could not be resolved: skipping the browser-bundle check of the main entry");
}

const entry = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Bundles an entry for the browser; returns esbuild's error texts (empty when it bundles). */
async function browserErrors(file: string): Promise<string[]> {
  try {
    await esbuild!.build({ entryPoints: [file], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    return [];
  } catch (err) {
    return ((err as { errors?: { text: string }[] }).errors ?? [{ text: String(err) }]).map((e) => e.text);
  }
}

describe('browser safety', () => {
  it.skipIf(!esbuild)('the main entry bundles for the browser with no Node built-ins', async () => {
    expect(await browserErrors(entry('index.ts'))).toEqual([]);
  });

  it.skipIf(!esbuild)('the /node entry does need Node built-ins (so the check above can fail)', async () => {
    const errors = await browserErrors(entry('node.ts'));
    expect(errors.some((e) => /node:fs/.test(e))).toBe(true);
  });
});
