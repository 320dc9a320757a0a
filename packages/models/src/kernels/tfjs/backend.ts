import * as tf from '@tensorflow/tfjs-core';
import { CollabError, UsageError } from '@collab-ts/core';
import type { ResolvedBackend } from '../../types.js';
import { registerGradients } from './gradients/register.js';

/** Imports a package that may not be installed; the specifier is a variable so bundlers leave it alone. */
async function importOptional(name: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ /* webpackIgnore: true */ name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads and initialises a TensorFlow.js backend: `cpu` and `wasm` ship with this package; `tensorflow`
 * needs `@tensorflow/tfjs-node` (or `-gpu`) and `webgl` needs `@tensorflow/tfjs-backend-webgl`, which
 * users install themselves. Throws a {@link CollabError} saying what to install when one is missing.
 */
export async function initBackend(name: Exclude<ResolvedBackend, 'fused'>): Promise<void> {
  // production mode: no debug checks, and no "install tfjs-node" banner printed into CLI output (the CLI's own
  // message says which backend runs and how to get the native one)
  if (!tf.env().getBool('PROD')) tf.env().set('PROD', true);
  registerGradients();
  if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else if (name === 'tensorflow') {
    if (!tf.findBackendFactory('tensorflow')) {
      const ok = (await importOptional('@tensorflow/tfjs-node-gpu')) || (await importOptional('@tensorflow/tfjs-node'));
      if (!ok) {
        throw new UsageError(
          "backend 'tensorflow' needs TensorFlow for Node: run `npm install @tensorflow/tfjs-node` (or `@tensorflow/tfjs-node-gpu` for CUDA), or pick backend 'fused', 'wasm' or 'cpu'",
        );
      }
      if (!tf.findBackendFactory('tensorflow')) {
        throw new CollabError(
          "@tensorflow/tfjs-node loaded but registered no 'tensorflow' backend with this copy of @tensorflow/tfjs-core: install matching versions (4.22.x)",
        );
      }
    }
  } else if (name === 'webgl') {
    if (!tf.findBackendFactory('webgl') && !(await importOptional('@tensorflow/tfjs-backend-webgl'))) {
      throw new UsageError("backend 'webgl' needs `npm install @tensorflow/tfjs-backend-webgl` (browsers only)");
    }
  }
  registerGradients();
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (err) {
    throw new CollabError(`TensorFlow.js backend '${name}' failed to initialise: ${(err as Error).message}`);
  }
  if (!ok) throw new CollabError(`TensorFlow.js backend '${name}' failed to initialise in this environment`);
}

/** Makes `name` the active tfjs backend (already initialised, so the switch is synchronous). */
export function useBackend(name: string): void {
  if (tf.getBackend() === name) return;
  void tf.setBackend(name);
  if (tf.getBackend() !== name) throw new CollabError(`could not switch TensorFlow.js to backend '${name}'`);
}
