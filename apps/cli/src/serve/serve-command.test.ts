import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { generateSynthetic } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import type { CollabModel } from '@collab-ts/models';
import { saveModel } from '@collab-ts/models/node';

// `collab serve` as a deployer runs it: a child process (the built CLI), quiet, with its JSON-lines log on
// stdout, which is also how the test learns the port and sees each reload happen (no sleeps).
const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const { dataset } = generateSynthetic({ users: 40, items: 50, ratings: 800, factors: 4, seed: 7 });
const vocab = { users: dataset.users, items: dataset.items };
const pairs = Array.from({ length: 12 }, (_, k) => ({ user: dataset.users.decode(k * 3), item: dataset.items.decode(k * 4) }));
let dir: string;
let modelDir: string;
let first: CollabModel;
let second: CollabModel;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the CLI first (pnpm --filter @collab-ts/cli build)`);
  dir = mkdtempSync(join(tmpdir(), 'collab-serve-cmd-'));
  modelDir = join(dir, 'model');
  first = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: dataset.items.size, factors: 5, seed: 1 });
  second = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: dataset.items.size, factors: 5, seed: 2 });
  saveModel(modelDir, first, vocab);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Server {
  child: ChildProcessByStdio<null, Readable, Readable>;
  next(): Promise<Record<string, unknown>>;
  stderr(): string;
  exited: Promise<number | null>;
}

function serve(...args: string[]): Server {
  const child = spawn(process.execPath, [BIN, 'serve', '--model', modelDir, '--port', '0', '--include-seen', '--log', '-', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLLAB_SERVE_TOKEN: '' } });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    exited,
    stderr: () => err,
    next: async () => {
      const line = await lines.next();
      if (line.done) throw new Error(`the server closed its log; stderr: ${err}`);
      return JSON.parse(line.value) as Record<string, unknown>;
    },
  };
}

const expected = (m: CollabModel): number[] => Array.from(m.predict(Int32Array.from(pairs, (p) => dataset.users.encode(p.user)), Int32Array.from(pairs, (p) => dataset.items.encode(p.item))));

async function score(url: string, headers: Record<string, string> = {}): Promise<number[]> {
  const r = await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ pairs }) });
  expect(r.status).toBe(200);
  return ((await r.json()) as { scores: number[] }).scores;
}

describe('collab serve (the command)', () => {
  it('starts silently with -q, reloads on SIGHUP, keeps the old model when the new one fails to load, stops on SIGTERM', async () => {
    const s = serve('-q');
    const listening = await s.next();
    expect(listening).toMatchObject({ event: 'listening', model: 'dot-bias', users: 40, items: 50, status: 'ok' });
    const url = String(listening.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const before = await score(url);
    expect(before.map((x) => x.toFixed(5))).toEqual(expected(first).map((x) => x.toFixed(5)));
    expect((await s.next()).status).toBe(200); // the access line of that request
    expect(s.stderr()).toBe(''); // no strict-mode warnings, nothing else

    saveModel(modelDir, second, vocab);
    s.child.kill('SIGHUP');
    expect(await s.next()).toMatchObject({ event: 'reload', ok: true, generation: 2 });
    const after = await score(url);
    expect(after.map((x) => x.toFixed(5))).toEqual(expected(second).map((x) => x.toFixed(5)));
    expect(after).not.toEqual(before);
    await s.next();
    expect(s.stderr()).toBe('');

    writeFileSync(join(modelDir, 'model.json'), '{ not json');
    s.child.kill('SIGHUP');
    const failed = await s.next();
    expect(failed).toMatchObject({ event: 'reload', ok: false, generation: 2 });
    expect(String(failed.error)).toMatch(/model\.json/);
    expect(await score(url)).toEqual(after);
    await s.next();
    const health = await (await fetch(`${url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', generation: 2 });
    expect(s.stderr()).toMatch(/reload of .* failed .* still serving generation 2/);

    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    saveModel(modelDir, first, vocab);
  });

  it('takes the token from COLLAB_SERVE_TOKEN or --token, and refuses a short one', async () => {
    const s = spawn(process.execPath, [BIN, 'serve', '--model', modelDir, '--port', '0', '--include-seen', '--log', '-', '-q'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLLAB_SERVE_TOKEN: 'from-the-env-1' } });
    const lines = createInterface({ input: s.stdout })[Symbol.asyncIterator]();
    const url = String((JSON.parse(String((await lines.next()).value)) as { url: string }).url);
    expect((await fetch(`${url}/recommend?user=${dataset.users.decode(0)}`)).status).toBe(401);
    expect(await score(url, { authorization: 'Bearer from-the-env-1' })).toHaveLength(12);
    const reload = await fetch(`${url}/admin/reload`, { method: 'POST', headers: { authorization: 'Bearer from-the-env-1' } });
    expect(reload.status).toBe(200);
    const exited = new Promise((resolve) => s.on('exit', resolve));
    s.kill('SIGTERM');
    expect(await exited).toBe(0);

    const short = spawn(process.execPath, [BIN, 'serve', '--model', modelDir, '--port', '0', '--token', 'abc'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    short.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await new Promise((resolve) => short.on('exit', resolve))).toBe(2);
    expect(err).toMatch(/--token .*at least 8 printable characters/);
  });
});
