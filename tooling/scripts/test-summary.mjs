#!/usr/bin/env node
// Adds up every package's vitest JSON report and prints one closing line: "tests: N passed, N failed, N skipped".
//
// Failures are the failed tests, plus test files that failed to load, plus errors vitest caught outside any
// test (its JSON report leaves those out; tooling/vitest/json-reporter.mjs adds them), plus one for every
// package with a `test` script and no report (its tests did not run: a build it needs failed, vitest crashed,
// or the run was cut short). Stale reports are deleted before a run by `clearReports` (tooling/scripts/test.mjs).
// Exit code 1 when anything failed or nothing passed.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspacePackages } from './workspace.mjs';

export const REPORT = join('.reports', 'vitest.json');

/** The workspace packages that have a `test` script, optionally only those named. */
export function testedPackages(names) {
  return workspacePackages().filter((p) => p.manifest.scripts?.test && (!names || names.includes(p.name)));
}

/** Deletes every package's vitest report, so a report found after the run is one this run wrote. */
export function clearReports(packages = testedPackages()) {
  for (const p of packages) rmSync(join(p.dir, REPORT), { force: true });
}

/**
 * @param {ReturnType<typeof testedPackages>} packages
 * @returns {{ passed: number, failed: number, skipped: number, notes: string[] }}
 */
export function summarize(packages = testedPackages()) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  /** @type {string[]} */
  const notes = [];
  /** @type {string[]} */
  const missing = [];
  for (const p of packages) {
    const file = join(p.dir, REPORT);
    if (!existsSync(file)) {
      missing.push(p.name);
      continue;
    }
    let r;
    try {
      r = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      notes.push(`${p.name}: unreadable report ${p.rel}/${REPORT} (${err.message}), counted as 1 failure`);
      failed += 1;
      continue;
    }
    const failedTests = r.numFailedTests ?? 0;
    // files that failed without a failed test: an import error, a failing beforeAll outside any test
    const brokenFiles = (r.testResults ?? []).filter(
      (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
    );
    const unhandled = r.numUnhandledErrors ?? 0;
    let pkgFailed = failedTests + brokenFiles.length + unhandled;
    for (const f of brokenFiles) notes.push(`${p.name}: ${f.name.replace(p.dir + '/', '')} failed outside its tests: ${firstLine(f.message)}`);
    if (unhandled > 0) notes.push(`${p.name}: ${unhandled} unhandled error(s): ${(r.unhandledErrors ?? []).map(firstLine).join('; ')}`);
    if (r.success === false && pkgFailed === 0) {
      notes.push(`${p.name}: vitest reported the run as failed, counted as 1 failure`);
      pkgFailed = 1;
    }
    passed += r.numPassedTests ?? 0;
    failed += pkgFailed;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  if (missing.length > 0) {
    notes.push(`tests did not run (no ${REPORT}; counted as 1 failure each): ${missing.join(', ')}`);
    failed += missing.length;
  }
  return { passed, failed, skipped, notes };
}

/** @param {unknown} s */
function firstLine(s) {
  return String(s ?? '').split('\n')[0].slice(0, 300);
}

/** Prints the notes and the closing line; returns the exit code (1 when anything failed or nothing passed). */
export function printSummary(packages = testedPackages()) {
  const { passed, failed, skipped, notes } = summarize(packages);
  for (const n of notes) console.log(n);
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(printSummary());
}
