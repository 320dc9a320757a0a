import { preset } from '@collab-ts/tooling/tsup';

// Two entries: the browser-safe main entry and the Node-only `@collab-ts/data/node` (file readers,
// dataset download, CSV writer). Everything under src/node/ is reachable only from src/node.ts.
// `splitting: true` also shares one chunk between the CJS entries, so `Vocabulary` from `/node` readers is
// the same class as the main entry's under `require` too (ESM output splits by default).
export default preset({ entry: ['src/index.ts', 'src/node.ts'], splitting: true });
