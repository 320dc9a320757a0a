import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { defineLoader } from 'vitepress';
import { benchSection, type BenchSection } from './.vitepress/bench-tables';

declare const data: BenchSection[];
export { data };

/** Reads every package's bench/results.json at build time (VitePress data loader). */
export default defineLoader({
  watch: ['../../../packages/*/bench/results.json'],
  load(files: string[]): BenchSection[] {
    return files.map((file) => {
      const pkg = basename(dirname(dirname(file)));
      return benchSection(pkg, `packages/${pkg}/bench/results.json`, JSON.parse(readFileSync(file, 'utf8')));
    });
  },
});
