import { preset } from '@collab-ts/tooling/tsup';
import { watEsbuildPlugin } from '@collab-ts/tooling/wat';

// Entries: the browser-safe main entry, the Node-only `@collab-ts/models/node` (save/load), and the worker
// task modules that pool workers import by URL (dist/ials-tasks.js, dist/svd-tasks.js). `shims` gives the CJS build an
// `import.meta.url`, from which the task modules are located.
// TensorFlow.js is an optional peer dependency, loaded with dynamic imports only when a tfjs backend is asked
// for: every @tensorflow package stays external (it is a devDependency here only for the parity tests).
// The embedding-nn batch-norm kernel's WAT source is compiled at build time and inlined (@collab-ts/tooling/wat).
export default preset({
  entry: { index: 'src/index.ts', node: 'src/node.ts', 'ials-tasks': 'src/families/ials/solve-tasks.ts', 'svd-tasks': 'src/families/svd/svd-tasks.ts' },
  external: [/^@tensorflow\//],
  shims: true,
  esbuildPlugins: [watEsbuildPlugin()],
});
