// The shared data options of issue 10 (--duplicates, --max-line-bytes) and what the CLI reports about the input.
// Async child processes only: several commands run side by side.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '@collab-ts/tooling/test/process';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'collab-cli-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function collab(...args: string[]): Promise<Run> {
  const r = await runProcess(process.execPath, [BIN, ...args], { timeout: 120_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// user 1 rates item 10 three times, user 2 rates item 20 twice: 2 pairs, 3 extra rows
const rows = ['user,item,rating,timestamp', '1,10,1,5', '2,20,2,3', '1,10,4,9', '3,30,3,1', '1,10,2,7', '2,20,5,3'];
for (let u = 4; u < 40; u++) for (let i = 0; i < 6; i++) rows.push(`${u},${10 * (1 + ((u + i) % 9))},${1 + ((u * i) % 5)},${u * 100 + i}`);
const dups = write('dups.csv', rows.join('\n') + '\n');

describe('--duplicates', () => {
  it('info and train say on stderr how many pairs repeat and what was kept (default: the last by timestamp)', async () => {
    const [info, json, train] = await Promise.all([
      collab('info', '--data', dups),
      collab('info', '--data', dups, '--json'),
      collab('train', '--data', dups, '--model', 'dot-bias', '--epochs', '1', '--out', join(dir, 'model')),
    ]);
    expect(info.code).toBe(0);
    const line = '2 duplicate (user, item) pairs: kept the last by timestamp, dropped 3 rows';
    expect(info.stderr.split('\n')).toContain(line);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr.split('\n')).toContain(line);
    expect(JSON.parse(json.stdout)).toMatchObject({ ratings: rows.length - 1 - 3, duplicates: { pairs: 2, dropped: 3, policy: 'last' } });
  });

  it("'mean' and 'first' are applied; 'error' fails with exit 1 at file:line:col of the second occurrence", async () => {
    const [mean, first, error, bogus] = await Promise.all([
      collab('info', '--data', dups, '--duplicates', 'mean'),
      collab('info', '--data', dups, '--duplicates', 'first', '--json'),
      collab('info', '--data', dups, '--duplicates', 'error'),
      collab('info', '--data', dups, '--duplicates', 'sum'),
    ]);
    expect(mean.stderr).toMatch(/^2 duplicate \(user, item\) pairs: kept their mean rating, dropped 3 rows$/m);
    expect(JSON.parse(first.stdout).duplicates).toEqual({ pairs: 2, dropped: 3, policy: 'first' });
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(new RegExp(`${dups.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:1: duplicate \\(user, item\\) pair \\("1", "10"\\): already rated on line 2`));
    expect(error.stderr).not.toMatch(/\n\s+at /);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/--duplicates.*sum/);
  });

  const dataDir = process.env.COLLAB_DATA_DIR;
  it.skipIf(!dataDir)('MovieLens 100k has no duplicate pairs', async () => {
    const r = await collab('info', '--data', join(dataDir!, 'ml-100k'), '--duplicates', 'error', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ratings: 100_000, duplicates: { pairs: 0, dropped: 0, policy: 'error' } });
  });
});

describe('bad rows and long lines', () => {
  it('--max-line-bytes: an overlong line fails with exit 1 at file:line:col', async () => {
    const f = write('long.csv', `user,item,rating\n1,2,3\n1,${'7'.repeat(500)},4\n`);
    const [capped, fine, bad] = await Promise.all([
      collab('info', '--data', f, '--max-line-bytes', '100'),
      collab('info', '--data', f, '--json'),
      collab('info', '--data', f, '--max-line-bytes', '0'),
    ]);
    expect(capped.code).toBe(1);
    expect(capped.stderr).toContain(`${f}:3:101: line is longer than 100 bytes (maxLineBytes)`);
    expect(fine.code).toBe(0);
    expect(bad.code).toBe(2);
  });

  it('a row merged with the next one and a rating of 1e300 fail with exit 1 at file:line:col', async () => {
    const merged = write('merged.tsv', '1\t2\t3\t100\n1\t3\t4\t1012\t3\t5\t102\n');
    const huge = write('huge.csv', 'user,item,rating\n1,2,1e300\n');
    const [m, h] = await Promise.all([collab('info', '--data', merged), collab('info', '--data', huge)]);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain(`${merged}:2:12: expected 4 fields`);
    expect(h.code).toBe(1);
    expect(h.stderr).toContain(`${huge}:2:5: rating "1e300" is out of range`);
  });
});

describe('info on a signed scale', () => {
  it('shows the rating range and one line saying ratings are negative', async () => {
    const f = write('jester.csv', 'user,item,rating\n1,1,-9.5\n1,2,3.25\n2,1,-0.5\n2,3,10\n');
    const r = await collab('info', '--data', f);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rating range -9\.5 \.\. 10$/m);
    expect(r.stdout.split('\n').filter((l) => /negative/.test(l))).toEqual(["negatives    2 of 4 ratings are below 0 (a signed scale, like Jester's -10 .. 10)"]);
  });
});
