import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchSection, formatNumber, genericTables } from '../docs/.vitepress/bench-tables';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'packages');

describe('benchmark tables', () => {
  it('formats numbers with separators and a few significant digits', () => {
    expect(formatNumber(6733143)).toBe('6,733,143');
    expect(formatNumber(3.7129761249999995)).toBe('3.713');
    expect(formatNumber(22.937961)).toBe('22.94');
    expect(formatNumber(0.015463383999998769)).toBe('0.0155');
    expect(formatNumber(NaN)).toBe('NaN');
  });

  it('turns arrays of objects into tables and scalars into context (generic view)', () => {
    const s = benchSection('other', 'x.json', { node: 'v20', rows: [{ name: 'a', ms: 1.5, nested: { x: 1 } }, { name: 'b', ms: 1200, extra: true }] });
    expect(s.context).toEqual([['node', 'v20']]);
    expect(s.tables).toHaveLength(1);
    expect(s.tables[0].columns).toEqual(['name', 'ms', 'extra']);
    expect(s.tables[0].rows).toEqual([['a', '1.5', ''], ['b', '1,200', 'yes']]);
    expect(s.tables[0].align).toEqual(['left', 'right', 'left']);
    expect(genericTables({ a: [1, 2] })).toEqual([]);
  });

  it('falls back to the generic view when a curated shape changes', () => {
    const s = benchSection('models', 'x.json', { runs: [{ ms: 3 }] });
    expect(s.tables[0].title).toBe('runs');
  });

  const ranking = join(packages, '..', 'apps', 'cli', 'bench', 'ranking-results.json');
  it.skipIf(!existsSync(ranking))('renders the CLI ranking bench: one row per model, the peers of issue 9 beside them', () => {
    const json = JSON.parse(readFileSync(ranking, 'utf8'));
    const s = benchSection('ranking', ranking, json);
    expect(s.tables.map((t) => t.columns[0])).toEqual(['model', 'model']);
    expect(s.tables[0].rows.map((r) => r[0])).toEqual(json.results.map((r: { model: string }) => r.model));
    expect(s.tables[0].rows[0][4]).toBe(formatNumber(json.results[0]['ndcg@10']));
    expect(s.tables[1].title).toMatch(/issue 9/);
    expect(s.context.map(([k]) => k)).toEqual(expect.arrayContaining(['protocol', 'selection']));
  });

  for (const pkg of ['data', 'models', 'optim', 'eval', 'train']) {
    const file = join(packages, pkg, 'bench', 'results.json');
    it.skipIf(!existsSync(file))(`renders ${pkg}/bench/results.json with its own figures`, () => {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      const s = benchSection(pkg, file, json);
      expect(s.tables.length).toBeGreaterThan(0);
      const cells = s.tables.flatMap((t) => t.rows.flat());
      expect(cells.length).toBeGreaterThan(4);
      // the numeric cells are the file's own numbers, formatted (a few are ratios of two of them)
      const numbers = new Set<string>();
      const collect = (v: unknown) => {
        if (typeof v === 'number') numbers.add(formatNumber(v));
        else if (v && typeof v === 'object') Object.values(v).forEach(collect);
      };
      collect(json);
      const numeric = cells.filter((c) => /^-?[\d,]+(\.\d+)?$/.test(c));
      expect(numeric.length).toBeGreaterThan(3);
      const fromFile = numeric.filter((c) => numbers.has(c)).length;
      expect(fromFile / numeric.length).toBeGreaterThan(0.8);
    });
  }
});
