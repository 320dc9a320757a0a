// The CLI as a newcomer meets it (issue 11): exit codes that follow one rule, titles that are never picked
// silently, an offline first run that says what to do, hints that can be typed as they are, and no stray
// files. Child processes run asynchronously (execFile), never synchronously.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '@collab-ts/data';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'collab-newcomer-'));
/** A MovieLens 100k layout (u.data + u.item) made from synthetic ratings, with titles that can collide. */
const ml = join(dir, 'ml-fixture');
const model = join(dir, 'model');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in a child process; `env` entries set to `undefined` are removed. */
function collab(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; node?: string[] } = {}): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...opts.env })) if (v !== undefined) env[k] = v;
  return new Promise((resolve) => {
    execFile(process.execPath, [...(opts.node ?? []), BIN, ...args], { env, cwd: opts.cwd, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function titleOf(item: number): string {
  if (item === 1) return 'Star Wars (1977)';
  if (item === 2 || item === 3) return 'Chasing Amy (1997)'; // two films share a title, as in MovieLens 100k
  if (item >= 10 && item < 24) return `Star Trek ${item - 9} (19${70 + item})`;
  return `Film ${item} (1990)`;
}

beforeAll(async () => {
  const { dataset } = generateSynthetic({ users: 120, items: 150, ratings: 5000, factors: 4, seed: 11 });
  mkdirSync(ml, { recursive: true });
  const r = dataset.ratings;
  const lines: string[] = [];
  for (let k = 0; k < r.ratings.length; k++) {
    lines.push(`${dataset.users.decode(r.users[k])}\t${dataset.items.decode(r.items[k])}\t${Math.round(r.ratings[k])}\t${880000000 + k}`);
  }
  writeFileSync(join(ml, 'u.data'), `${lines.join('\n')}\n`);
  const items = dataset.items.rawIds.map(Number);
  expect(items.slice(0, 3)).toEqual([1, 2, 3]);
  writeFileSync(join(ml, 'u.item'), items.map((i) => `${i}|${titleOf(i)}|01-Jan-1990||http://example.invalid/${i}${'|0'.repeat(19)}`).join('\n') + '\n', 'latin1');
  const t = await collab(['train', '--data', ml, '--model', 'dot-bias', '--factors', '8', '--epochs', '1', '--out', model, '-q']);
  expect(t.code, t.stderr).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exit codes follow one rule: 2 for what the user typed wrong, 1 for bad content or a failed run', () => {
  it('unknown user and unknown item are both usage errors (2)', async () => {
    const [user, item] = await Promise.all([
      collab(['recommend', '--model', model, '--user', 'no-such-user']),
      collab(['similar', '--model', model, '--item', 'no-such-item']),
    ]);
    expect(user.code).toBe(2);
    expect(user.stderr).toMatch(/unknown user id "no-such-user"/);
    expect(item.code).toBe(2);
    expect(item.stderr).toMatch(/unknown item "no-such-item"/);
  });

  it('a missing model folder and a folder without model.json are both usage errors (2); a damaged model.json is 1', async () => {
    const empty = join(dir, 'not-a-model');
    mkdirSync(empty, { recursive: true });
    const damaged = join(dir, 'damaged-model');
    mkdirSync(damaged, { recursive: true });
    writeFileSync(join(damaged, 'model.json'), '{ "format": ');
    const [missing, noManifest, bad] = await Promise.all([
      collab(['recommend', '--model', join(dir, 'nowhere'), '--user', '1']),
      collab(['recommend', '--model', empty, '--user', '1']),
      collab(['recommend', '--model', damaged, '--user', '1']),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such directory/);
    expect(noManifest.code).toBe(2);
    expect(noManifest.stderr).toMatch(/not a saved model directory, it has no model\.json/);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/model\.json: not valid JSON/);
  });

  it('a --data folder without a ratings file is a usage error (2), as a missing --data path is', async () => {
    const r = await collab(['info', '--data', join(dir, 'not-a-model')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds no ratings file \(u\.data, ratings\.dat, ratings\.csv or Parquet part files\)/);
  });
});

describe('items by title', () => {
  it('keeps exact titles (any case), unique parts and exact ids working', async () => {
    for (const q of ['Star Wars (1977)', 'star wars (1977)', 'Star Wars', '1']) {
      const r = await collab(['similar', '--model', model, '--item', q, '--min-ratings', '0', '-k', '2', '--json']);
      expect(r.code, `${q}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ item: '1', title: 'Star Wars (1977)' });
    }
  });

  it('lists the candidates of a partial title that several films contain, instead of picking one', async () => {
    const r = await collab(['similar', '--model', model, '--item', 'Star Trek']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/item "Star Trek" is ambiguous: 14 titles match; give the item id or the full title/);
    const listed = r.stderr.split('\n').filter((l) => /^\s+\d+\s+Star Trek \d+/.test(l));
    expect(listed).toHaveLength(10);
    expect(r.stderr).toMatch(/\.\.\. and 4 more/);
    // two films with the same exact title: listed with their ids, which do work
    const twins = await collab(['recommend', '--model', model, '--ratings', 'Chasing Amy (1997)=5']);
    expect(twins.code).toBe(2);
    expect(twins.stderr).toMatch(/^\s+2\s+Chasing Amy \(1997\)$/m);
    expect(twins.stderr).toMatch(/^\s+3\s+Chasing Amy \(1997\)$/m);
  });
});

describe('a first run offline, without the data', () => {
  it('the main job says where it looked and how to provide MovieLens 100k', async () => {
    const stub = join(dir, 'offline.mjs');
    // what Node's fetch throws when DNS fails
    writeFileSync(stub, "globalThis.fetch = async () => { throw Object.assign(new TypeError('fetch failed'), { cause: new Error('getaddrinfo ENOTFOUND files.grouplens.org') }); };\n");
    const cache = join(dir, 'empty-cache');
    const r = await collab(['demo', '--epochs', '1', '--out', join(dir, 'demo-model')], { node: ['--import', stub], env: { COLLAB_DATA_DIR: undefined, COLLAB_CACHE_DIR: cache } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ml-100k: not on this machine, and the download failed \(.*getaddrinfo ENOTFOUND files\.grouplens\.org/);
    expect(r.stderr).toContain('looked in $COLLAB_DATA_DIR/ml-100k (COLLAB_DATA_DIR is not set)');
    expect(r.stderr).toContain(`looked in the download cache: ${join(cache, 'ml-100k')}`);
    expect(r.stderr).toContain(`set COLLAB_DATA_DIR to the folder that holds ml-100k/, or put the unzipped ml-100k folder at ${join(cache, 'ml-100k')}`);
    expect(r.stderr).toContain('--data /path/to/ml-100k');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('hints and side effects', () => {
  it('the demo hint is a command a newcomer can type (no bare pnpm)', async () => {
    const r = await collab(['demo', '--data', ml, '--epochs', '1', '--user', '5', '--item', 'Star Wars', '--out', join(dir, 'demo-out'), '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`try: npx -y pnpm@10 --silent collab recommend --model ${join(dir, 'demo-out')} --user 5`);
    expect(r.stdout).not.toMatch(/(^|[^@\w])pnpm --silent/m);
    expect(r.stdout).toMatch(/films closest to Star Wars \(1977\)/);
  });

  it('lr-find writes no plot unless --plot is given', async () => {
    const cwd = join(dir, 'lr-cwd');
    mkdirSync(cwd, { recursive: true });
    const r = await collab(['lr-find', '--data', ml, '--model', 'dot-bias', '--factors', '8', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    const found = JSON.parse(r.stdout);
    expect(found.probe).toBe('valid');
    expect(found.suggestions.helpsFrom).toBeLessThan(found.suggested);
    expect(found.suggested).toBeLessThan(found.suggestions.helpsUntil);
    expect(found.suggested).toBeGreaterThan(found.lrs[2]); // never one of the sweep's first points
    const plot = join(cwd, 'curve.svg');
    const p = await collab(['lr-find', '--data', ml, '--model', 'dot-bias', '--factors', '8', '--plot', plot, '-q'], { cwd });
    expect(p.code, p.stderr).toBe(0);
    expect(existsSync(plot)).toBe(true);
    expect(readdirSync(cwd)).toEqual(['curve.svg']);
  });
});
