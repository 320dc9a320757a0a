/** The TensorFlow.js engines, loaded on demand by `createModel` so the fused path never pulls in tfjs. */
export { initBackend, useBackend } from './backend.js';
export { TfDotEngine } from './dot-engine.js';
export { TfNNEngine } from './nn-engine.js';
