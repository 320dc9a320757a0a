#!/usr/bin/env node
// The root `pnpm test`: build, typecheck, lint and test every package with turbo, then print the summary line
// ("tests: N passed, N failed, N skipped") whatever happened, and exit non-zero if turbo or any test failed.
//
// - every package's old vitest report is deleted first, so a package whose tests did not run is named, not
//   counted from a stale report;
// - turbo runs with --continue=dependencies-successful: one failing package does not cancel the others' tests;
// - extra arguments go to turbo (`pnpm test --filter @collab-ts/data`); the summary then covers the packages
//   turbo planned a test task for.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workspace.mjs';
import { clearReports, printSummary, testedPackages } from './test-summary.mjs';

const extra = process.argv.slice(2);
const local = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo');
const turbo = existsSync(local) ? local : 'turbo';

/** The packages whose test task turbo would run with these arguments (all tested packages when none). */
function plannedPackages() {
  if (extra.length === 0) return testedPackages();
  const plan = JSON.parse(execFileSync(turbo, ['run', 'test', '--dry=json', ...extra], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 }));
  const names = plan.tasks.filter((t) => t.task === 'test' && t.command !== '<NONEXISTENT>').map((t) => t.package);
  return testedPackages(names);
}

const packages = plannedPackages();
clearReports(packages);

const started = Date.now();
const child = spawn(turbo, ['run', 'build', 'typecheck', 'lint', 'test', '--output-logs=new-only', '--continue=dependencies-successful', ...extra], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches turbo directly (same process group); stay alive to print the summary after it stops
const ignore = () => {};
process.on('SIGINT', ignore);
process.on('SIGTERM', () => child.kill('SIGTERM'));

let finished = false;
/** Prints the summary once, however turbo ended, and exits non-zero if turbo or any test failed. */
function finish(why) {
  if (finished) return;
  finished = true;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (why) console.log(`${why} after ${seconds} s`);
  const summary = printSummary(packages);
  process.exit(why || summary !== 0 ? 1 : 0);
}
child.on('error', (err) => finish(`could not run turbo (${err.message})`));
child.on('close', (code, signal) => finish(code === 0 ? null : `turbo ${signal ? `stopped by ${signal}` : `exited with code ${code}`}`));
