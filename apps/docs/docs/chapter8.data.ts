import { existsSync, readFileSync } from 'node:fs';
import { defineLoader } from 'vitepress';

/** One training run of the train package's chapter-8 bench (`packages/train/bench/results.json`). */
export interface Chapter8Run {
  name: string;
  kind: string;
  wd: number | null;
  sparseMode: string;
  backend: string;
  validMse: number | null;
  validPerEpoch: number[];
  seconds: number | null;
}

/** The runs plus the protocol and machine the bench recorded. */
export interface Chapter8Results {
  protocol: string;
  machine: string;
  date: string;
  runs: Chapter8Run[];
}

declare const data: Chapter8Results;
export { data };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Reads the chapter-8 figures at build time; the guide's tables show them, never hand-typed numbers. */
export default defineLoader({
  watch: ['../../../packages/train/bench/results.json'],
  load(files: string[]): Chapter8Results {
    const file = files[0];
    if (!file || !existsSync(file)) return { protocol: '', machine: '', date: '', runs: [] };
    const d = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const m = d.machine;
    const machine =
      m && typeof m === 'object' ? Object.entries(m as Record<string, unknown>).map(([k, v]) => `${k} ${String(v)}`).join(', ') : str(m);
    const runs = Array.isArray(d.runs) ? (d.runs as Record<string, unknown>[]) : [];
    return {
      protocol: str(d.protocol),
      machine,
      date: str(d.date),
      runs: runs.map((r) => ({
        name: str(r.name),
        kind: str(r.kind),
        wd: num(r.wd),
        sparseMode: str(r.sparseMode),
        backend: str(r.backend),
        validMse: num(r.validMse),
        validPerEpoch: Array.isArray(r.validPerEpoch) ? r.validPerEpoch.filter((x): x is number => typeof x === 'number') : [],
        seconds: num(r.seconds),
      })),
    };
  },
});
