import * as tf from '@tensorflow/tfjs-core';
import { addGrad } from './add.js';
import { batchMatMulGrad } from './batch-mat-mul.js';
import { concatGrad } from './concat.js';
import { meanGrad } from './mean.js';
import { multiplyGrad } from './multiply.js';
import { subGrad } from './sub.js';
import { sumGrad } from './sum.js';
import { reluGrad, reshapeGrad, rsqrtGrad, sigmoidGrad, softplusGrad, squareGrad } from './unary.js';

const ALL = [addGrad, subGrad, multiplyGrad, sumGrad, meanGrad, squareGrad, sigmoidGrad, softplusGrad, reluGrad, rsqrtGrad, reshapeGrad, batchMatMulGrad, concatGrad];

/**
 * Registers the gradients of the kernels our tfjs models use, where none is registered yet.
 * `@tensorflow/tfjs-core`'s package entry registers no gradients (the union `@tensorflow/tfjs` package does,
 * through a deep import that Node ESM cannot resolve), so we bring our own and defer to any already present.
 */
export function registerGradients(): void {
  for (const g of ALL) if (!tf.getGradient(g.kernelName)) tf.registerGradient(g);
}
