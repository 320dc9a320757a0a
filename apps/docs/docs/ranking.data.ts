import { existsSync, readFileSync } from 'node:fs';
import { defineLoader } from 'vitepress';
import { benchSection, type BenchSection } from './.vitepress/bench-tables';

declare const data: BenchSection | null;
export { data };

/** Reads the CLI's ranking bench (`apps/cli/bench/ranking-results.json`) at build time; `null` when it has not been run. */
export default defineLoader({
  watch: ['../../../apps/cli/bench/ranking-results.json'],
  load(files: string[]): BenchSection | null {
    const file = files[0];
    if (!file || !existsSync(file)) return null;
    return benchSection('ranking', 'apps/cli/bench/ranking-results.json', JSON.parse(readFileSync(file, 'utf8')));
  },
});
