import { preset } from '@collab-ts/tooling/tsup';

// Two entries: the browser-safe main entry and the Node-only `@collab-ts/data/node` (file readers,
// dataset download, CSV writer). Everything under src/node/ is reachable only from src/node.ts.
// csv-parse's browser build is bundled in (noExternal), so neither bundlers nor `require` meet its ESM-only
// path, and browsers never load its Node entry (which touches `Buffer` on load). That is why csv-parse is a
// devDependency: the published package does not need it installed.
//
// arquero is ESM-only, so the CommonJS build needs Node's require(esm) (on by default from Node 20.19 / 22.12).
// On an older Node, `require('@collab-ts/data')` says so instead of failing with ERR_REQUIRE_ESM. The check must
// run before the chunks' `require('arquero')`: rollup's tree-shaking pass would hoist the requires above the
// banner, so this package builds without it (esbuild alone still drops what is unused).
const requireEsmGuard =
  "if (typeof process === 'object' && process.versions && process.versions.node && !process.versions.bun && !process.versions.deno && !(process.features && process.features.require_module)) " +
  "throw new Error('@collab-ts/data: require() of this package needs Node >= 20.19 (its dependency arquero is an ES module, and Node ' + process.version + ' cannot require ES modules): upgrade Node, or import the package instead of requiring it');";

export default preset({
  entry: ['src/index.ts', 'src/node.ts'],
  noExternal: [/^csv-parse/],
  treeshake: false,
  banner: ({ format }) => (format === 'cjs' ? { js: requireEsmGuard } : undefined),
});
