import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from './process.mjs';
import { clearReports, summarize } from '../scripts/test-summary.mjs';

interface Pkg {
  name: string;
  dir: string;
  rel: string;
  manifest: Record<string, unknown>;
}
const tmp = mkdtempSync(join(tmpdir(), 'collab-summary-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fake workspace package, with the given vitest report (or none). */
function pkg(name: string, report?: object): Pkg {
  const dir = join(tmp, name);
  mkdirSync(join(dir, '.reports'), { recursive: true });
  if (report) writeFileSync(join(dir, '.reports', 'vitest.json'), JSON.stringify(report));
  return { name, dir, rel: name, manifest: { scripts: { test: 'vitest run' } } };
}

const clean = { numPassedTests: 5, numFailedTests: 0, numPendingTests: 1, numTodoTests: 1, success: true, testResults: [] };

describe('test summary', () => {
  it('adds up passed, failed and skipped tests', () => {
    const failing = {
      numPassedTests: 2,
      numFailedTests: 1,
      numPendingTests: 0,
      success: false,
      testResults: [{ name: 'x.test.ts', status: 'failed', message: '', assertionResults: [{ status: 'failed' }] }],
    };
    const r = summarize([pkg('a', clean), pkg('b', failing)]);
    expect(r).toMatchObject({ passed: 7, failed: 1, skipped: 2 });
  });

  it('counts unhandled errors and files that failed to load, and says so', () => {
    const r = summarize([
      pkg('c', { ...clean, success: false, numUnhandledErrors: 2, unhandledErrors: ['Error: Timeout calling "onTaskUpdate"', 'Error: boom'] }),
      pkg('d', { ...clean, success: false, testResults: [{ name: join(tmp, 'd', 'src', 'y.test.ts'), status: 'failed', message: 'Cannot find module', assertionResults: [] }] }),
      pkg('e', { ...clean, success: false }),
    ]);
    expect(r.failed).toBe(4);
    expect(r.notes).toContain('c: 2 unhandled error(s): Error: Timeout calling "onTaskUpdate"; Error: boom');
    expect(r.notes).toContain('d: src/y.test.ts failed outside its tests: Cannot find module');
    expect(r.notes).toContain('e: vitest reported the run as failed, counted as 1 failure');
  });

  it('names packages whose tests did not run, once their old reports are cleared', () => {
    const ran = pkg('f', clean);
    const stale = pkg('g', clean);
    clearReports([stale]);
    const r = summarize([ran, stale]);
    expect(r).toMatchObject({ passed: 5, failed: 1 });
    expect(r.notes).toEqual(['tests did not run (no .reports/vitest.json; counted as 1 failure each): g']);
  });

  it("counts what a real vitest run reports: a passing test's leaked rejection and a file that fails to load", async () => {
    const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'unhandled');
    const report = join(tmp, 'real', '.reports', 'vitest.json');
    const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
    const run = await runProcess(process.execPath, [vitest, 'run', '--root', fixture], {
      env: { ...process.env, FIXTURE_REPORT: report, CI: '' },
      timeout: 120_000,
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const r = summarize([{ name: 'real', dir: join(tmp, 'real'), rel: 'real', manifest: {} }]);
    expect(r.passed).toBe(1);
    expect(r.failed).toBe(2);
    expect(r.notes.join('\n')).toMatch(/1 unhandled error\(s\): Error: rejected outside any test/);
    expect(r.notes.join('\n')).toMatch(/broken\.fixture\.ts failed outside its tests: .*no-such-module/);
  });
});
