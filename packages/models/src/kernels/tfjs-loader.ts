import { UsageError } from '@collab-ts/core';
import type { ResolvedBackend } from '../types.js';

/** The backends that run on TensorFlow.js. */
export type TfjsBackend = Exclude<ResolvedBackend, 'fused'>;

/**
 * What each TensorFlow.js backend needs installed beside `@collab-ts/models`. They are optional peer
 * dependencies: the default fused engine never loads them, so a plain install does not pull them in.
 */
export const TFJS_PACKAGES: Readonly<Record<TfjsBackend, readonly string[]>> = {
  cpu: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu'],
  wasm: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'],
  webgl: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgl'],
  tensorflow: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-node'],
};

/**
 * The package a failed `import()` or `require()` could not find, from Node's message (ESM: `Cannot find package
 * 'x' imported from ...`, CommonJS: `Cannot find module 'x'`), looking through `cause` too; `undefined` when the
 * error is something else.
 */
export function missingPackage(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    const m = /Cannot find (?:package|module) '((?:@[^/'\s]+\/)?[^/'\s]+)/.exec(e.message);
    if (m && (code === undefined || code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')) return m[1];
  }
  return undefined;
}

/** The error for a TensorFlow.js backend whose packages are not installed. */
export function tfjsMissingError(backend: TfjsBackend, pkg: string): UsageError {
  return new UsageError(
    `backend '${backend}' runs on TensorFlow.js, an optional peer dependency of @collab-ts/models, and ${pkg} is not installed: ` +
      `run \`npm install ${TFJS_PACKAGES[backend].join(' ')}\` (4.22.x), or use backend 'fused' (the default, which needs no TensorFlow.js)`,
  );
}

/** Runs `load` (an import of TensorFlow.js code) and turns a missing `@tensorflow/*` package into a {@link UsageError}. */
export async function importTfjs<T>(backend: TfjsBackend, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const pkg = missingPackage(err);
    if (pkg !== undefined && pkg.startsWith('@tensorflow/')) throw tfjsMissingError(backend, pkg);
    throw err;
  }
}
