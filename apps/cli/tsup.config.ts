import { preset } from '@collab-ts/tooling/tsup';

// Two entries: the `collab` program, and the worker task module pool workers import by URL
// (dist/workers/tasks.js, located from the bundle with `new URL(..., import.meta.url)`).
// usearch (for `serve --ann`) is an optional native dependency, imported at run time only when asked for.
export default preset({
  entry: { bin: 'src/bin.ts', 'workers/tasks': 'src/workers/tasks.ts' },
  format: ['esm'],
  dts: false,
  banner: { js: '#!/usr/bin/env node' },
  external: ['usearch'],
});
