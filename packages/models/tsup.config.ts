import { preset } from '@collab-ts/tooling/tsup';

// Two entries: the browser-safe main entry and the Node-only `@collab-ts/models/node` (save/load).
// Optional TensorFlow.js packages are loaded with dynamic imports and must stay external.
export default preset({
  entry: ['src/index.ts', 'src/node.ts'],
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-webgl'],
});
