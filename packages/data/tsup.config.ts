import { preset } from '@collab-ts/tooling/tsup';

// Two entries: the browser-safe main entry and the Node-only `@collab-ts/data/node` (file readers,
// dataset download, CSV writer). Everything under src/node/ is reachable only from src/node.ts.
// csv-parse's browser build is bundled in (noExternal), so neither bundlers nor `require` meet its ESM-only
// path, and browsers never load its Node entry (which touches `Buffer` on load).
export default preset({ entry: ['src/index.ts', 'src/node.ts'], noExternal: [/^csv-parse/] });
