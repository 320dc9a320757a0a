// @ts-check
// TypeDoc plugin: names each package's main entry module "main" instead of "index".
//
// With two entry points per package (src/index.ts and src/node.ts) TypeDoc names the main one "index", and
// typedoc-plugin-markdown then writes both `@collab-ts/core/index.md` (the package page) and
// `@collab-ts/core/index/index.md` (the module page). VitePress cannot tell their routes apart: a direct load
// of `/api/@collab-ts/core/index/` hydrates with the package page (a "Cannot read properties of null" error),
// and the module page's relative links then point one folder too high and answer 404.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const r of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      if (r.name === 'index') r.name = 'main';
    }
  });
}
