import { preset } from '@collab-ts/tooling/tsup';
import { watEsbuildPlugin } from '@collab-ts/tooling/wat';

// Two entries: the browser-safe main entry and the Node-only `@collab-ts/models/node` (save/load).
// TensorFlow.js is an optional peer dependency, loaded with dynamic imports only when a tfjs backend is asked
// for: every @tensorflow package stays external (it is a devDependency here only for the parity tests).
// The embedding-nn batch-norm kernel's WAT source is compiled at build time and inlined (@collab-ts/tooling/wat).
export default preset({
  entry: ['src/index.ts', 'src/node.ts'],
  external: [/^@tensorflow\//],
  esbuildPlugins: [watEsbuildPlugin()],
});
