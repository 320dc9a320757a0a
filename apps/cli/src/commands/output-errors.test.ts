import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'collab-out-'));
const csv = join(dir, 'ratings.csv');

function collab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Whether this process can create files under `/sys` (root in some sandboxes can; then the test is skipped). */
function sysWritable(): boolean {
  try {
    writeFileSync('/sys/.collab-probe', 'x');
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  const r = await collab('generate', '--ratings', '3000', '--users', '60', '--items', '50', '--seed', '4', '--out', csv, '-q');
  expect(r.code).toBe(0);
});

describe('output locations and warnings', () => {
  it('an --out under a regular file fails before training with the path and the cause', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await collab('train', '--data', csv, '--model', 'dot-bias', '--epochs', '1', '--out', join(file, 'model'));
    expect(r.code).toBe(2); // a path of the wrong kind: the user typed it wrong
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^collab: cannot write .*a-file\/model: a parent is not a directory \(ENOTDIR\)$/);
    expect(r.stderr).not.toMatch(/epoch|train_loss|at /);
  });

  const readOnly = !sysWritable();
  if (!readOnly) console.warn('skipping the non-writable folder tests: this process may write under /sys');
  it.skipIf(!readOnly)('a non-writable --out or --output is reported before any work, and nothing is left behind', async () => {
    const r = await collab('train', '--data', csv, '--model', 'popularity', '--out', '/sys/collab-model');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/collab: cannot write \/sys\/collab-model: (permission denied \(EACCES\)|the file system is read-only \(EROFS\)|operation not permitted \(EPERM\))/);
    const model = join(dir, 'pop');
    expect((await collab('train', '--data', csv, '--model', 'popularity', '--valid-pct', '0', '--out', model, '-q')).code).toBe(0);
    const rec = await collab('recommend', '--model', model, '--all', '--output', '/sys/recs.csv');
    expect(rec.code).toBe(1);
    expect(rec.stderr).toMatch(/cannot write \/sys/);
    expect(existsSync('/sys/recs.csv')).toBe(false);
  });

  it('warns, in text and JSON, when the validation RMSE is worse than predicting the global mean', async () => {
    const r = await collab('train', '--data', csv, '--model', 'dot', '--y-range', 'none', '--lr', '3', '--schedule', 'constant', '--epochs', '1', '--json');
    if (r.code !== 0) {
      // a run this bad may also diverge outright, which is an error of its own
      expect(r.stderr).toMatch(/diverg|not finite|NaN/i);
      return;
    }
    const j = JSON.parse(r.stdout);
    expect(j.warnings.join(' ')).toMatch(/worse than predicting the global mean/);
    const ok = JSON.parse((await collab('train', '--data', csv, '--model', 'dot-bias', '--epochs', '2', '--json')).stdout);
    expect(ok.warnings).toEqual([]);
  });
});
