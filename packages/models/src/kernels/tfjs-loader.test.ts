import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '@collab-ts/core';
import { runProcess } from '@collab-ts/tooling/test/process';
import { importTfjs, missingPackage, TFJS_PACKAGES } from './tfjs-loader.js';

// an empty folder: nothing resolves from here, not even what this monorepo has installed
const nowhere = mkdtempSync(join(tmpdir(), 'collab-no-tfjs-'));

/** What Node itself throws when a package is not installed: CommonJS `require` and ESM `import()`. */
async function realResolutionFailures(name: string): Promise<Error[]> {
  let cjs: Error | undefined;
  try {
    createRequire(join(nowhere, 'index.js')).resolve(name);
  } catch (err) {
    cjs = err as Error;
  }
  const script = `import(${JSON.stringify(name)}).catch((e) => console.log(JSON.stringify({ message: e.message, code: e.code })))`;
  const r = await runProcess(process.execPath, ['--input-type=module', '-e', script], { cwd: nowhere });
  const { message, code } = JSON.parse(r.stdout) as { message: string; code: string };
  return [cjs!, Object.assign(new Error(message), { code })];
}

describe('TensorFlow.js as an optional peer dependency', () => {
  afterEach(() => {
    vi.doUnmock('@tensorflow/tfjs-core');
    vi.resetModules();
  });

  it('reads the missing package from real CommonJS and ESM resolution failures', async () => {
    const [cjs, esm] = await realResolutionFailures('@tensorflow/tfjs-not-installed');
    expect((cjs as NodeJS.ErrnoException).code).toBe('MODULE_NOT_FOUND');
    expect((esm as NodeJS.ErrnoException).code).toBe('ERR_MODULE_NOT_FOUND');
    expect(missingPackage(cjs)).toBe('@tensorflow/tfjs-not-installed');
    expect(missingPackage(esm)).toBe('@tensorflow/tfjs-not-installed');
    expect(missingPackage(new Error('wrapped', { cause: esm }))).toBe('@tensorflow/tfjs-not-installed');
    expect(missingPackage(new Error('Cannot read properties of undefined'))).toBeUndefined();
    expect(missingPackage('not an error')).toBeUndefined();
  });

  it('turns a missing @tensorflow package into a UsageError that says what to install', async () => {
    const [, esm] = await realResolutionFailures('@tensorflow/tfjs-core-not-installed');
    const err = await importTfjs('cpu', () => Promise.reject(esm)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toBe(
      "backend 'cpu' runs on TensorFlow.js, an optional peer dependency of @collab-ts/models, and @tensorflow/tfjs-core-not-installed is not installed: " +
        "run `npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu` (4.22.x), or use backend 'fused' (the default, which needs no TensorFlow.js)",
    );
    for (const backend of ['wasm', 'webgl', 'tensorflow'] as const) {
      await expect(importTfjs(backend, () => Promise.reject(esm))).rejects.toThrow(`npm install ${TFJS_PACKAGES[backend].join(' ')}`);
    }
  });

  it('passes other failures through unchanged', async () => {
    const [other] = await realResolutionFailures('left-pad-not-installed');
    await expect(importTfjs('cpu', () => Promise.reject(other))).rejects.toBe(other);
    const boom = new Error('kernel registration failed');
    await expect(importTfjs('wasm', () => Promise.reject(boom))).rejects.toBe(boom);
    await expect(importTfjs('cpu', async () => 42)).resolves.toBe(42);
  });

  it("createModel with backend 'cpu' says what to install when @tensorflow/tfjs-core cannot be loaded", async () => {
    const [, esm] = await realResolutionFailures('@tensorflow/tfjs-core');
    vi.resetModules();
    vi.doMock('@tensorflow/tfjs-core', () => {
      throw esm;
    });
    const { createModel } = await import('../create.js');
    const attempt = createModel('dot', { nUsers: 3, nItems: 4, backend: 'cpu' });
    // a fresh module graph (resetModules) has its own copy of @collab-ts/core, so match the class by name
    await expect(attempt).rejects.toMatchObject({ name: 'UsageError', exitCode: 2 });
    await expect(attempt).rejects.toThrow(/npm install @tensorflow\/tfjs-core @tensorflow\/tfjs-backend-cpu/);
    // the default engine never touches TensorFlow.js
    const fused = await createModel('dot', { nUsers: 3, nItems: 4 });
    expect(fused.backend).toBe('fused');
  });
});
