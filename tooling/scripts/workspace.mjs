// The workspace's packages as pnpm-workspace.yaml lists them (`dir/*` globs and plain folders only).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file). */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * @typedef {{ name: string, dir: string, rel: string, manifest: Record<string, any> }} WorkspacePackage
 */

/** @returns {WorkspacePackage[]} every workspace package (not the root), sorted by folder. */
export function workspacePackages() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^packages:\s*\n((?:[ \t]+-.*\n?)+)/m.exec(yaml);
  if (!block) throw new Error('pnpm-workspace.yaml: no `packages:` list');
  const patterns = [...block[1].matchAll(/-\s*['"]?([^'"\s#]+)/g)].map((m) => m[1]);
  /** @type {string[]} */
  const dirs = [];
  for (const p of patterns) {
    if (p.endsWith('/*')) {
      const parent = join(root, p.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const e of readdirSync(parent, { withFileTypes: true })) if (e.isDirectory()) dirs.push(join(parent, e.name));
    } else if (!p.includes('*')) {
      dirs.push(join(root, p));
    } else {
      throw new Error(`pnpm-workspace.yaml: unsupported pattern ${p}`);
    }
  }
  return dirs
    .filter((d) => existsSync(join(d, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: manifest.name, dir, rel: relative(root, dir), manifest };
    })
    .sort((a, b) => a.rel.localeCompare(b.rel));
}
