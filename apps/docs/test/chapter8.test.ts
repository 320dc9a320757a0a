import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(appDir, '..', '..', 'packages', 'train', 'bench', 'results.json');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('.') || e.name === 'api' ? [] : markdownFiles(p);
    return e.name.endsWith('.md') ? [p] : [];
  });
}

describe('guide figures', () => {
  it.skipIf(!existsSync(results))('every run a guide page shows exists in packages/train/bench/results.json', () => {
    const runs = new Set((JSON.parse(readFileSync(results, 'utf8')).runs as { name: string }[]).map((r) => r.name));
    const kinds = new Set((JSON.parse(readFileSync(results, 'utf8')).runs as { kind: string }[]).map((r) => r.kind));
    let used = 0;
    for (const file of markdownFiles(join(appDir, 'docs'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/<Chapter8Table\s+:(runs|kinds)="\[([^\]]*)\]"/g)) {
        const names = [...m[2].matchAll(/'([^']*)'/g)].map((x) => x[1]);
        for (const n of names) {
          expect(m[1] === 'runs' ? runs.has(n) : kinds.has(n), `${file}: ${m[1]} ${n}`).toBe(true);
          used++;
        }
      }
    }
    expect(used).toBeGreaterThan(5);
  });
});
