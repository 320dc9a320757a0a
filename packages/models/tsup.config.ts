import { preset } from '@collab-ts/tooling/tsup';

// Two entries: the browser-safe main entry and the Node-only `@collab-ts/models/node` (save/load).
// TensorFlow.js is an optional peer dependency, loaded with dynamic imports only when a tfjs backend is asked
// for: every @tensorflow package stays external (it is a devDependency here only for the parity tests).
export default preset({
  entry: ['src/index.ts', 'src/node.ts'],
  external: [/^@tensorflow\//],
});
