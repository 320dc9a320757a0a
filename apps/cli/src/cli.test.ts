import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSynthetic } from '@collab-ts/data';
import { writeRatingsCsv } from '@collab-ts/data/node';
import { testDataset } from '@collab-ts/tooling/test/data';
import { runProcess } from '@collab-ts/tooling/test/process';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'collab-cli-'));
const csv = join(dir, 'ratings.csv');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in a child process, asynchronously (a blocked worker misses vitest's RPC deadlines). */
async function collab(...args: string[]): Promise<Run> {
  const r = await runProcess(process.execPath, [BIN, ...args], { env: { ...process.env }, timeout: 120_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  const { dataset } = generateSynthetic({ users: 150, items: 200, ratings: 6000, factors: 4, seed: 3 });
  await writeRatingsCsv(dataset.ratings, { users: dataset.users, items: dataset.items }, csv);
});

describe('collab CLI', () => {
  it('prints help for the program and every command, with exit code 0', async () => {
    // two real runs check that the help paths exit 0; every command's help text comes from the same program
    // in-process (a CLI start costs seconds on a loaded machine, and there are more than a dozen commands)
    const [top, train] = await Promise.all([collab('--help'), collab('train', '--help')]);
    expect(top.code).toBe(0);
    expect(train.code).toBe(0);
    expect(train.stdout).toContain('Usage: collab train');
    const { createProgram } = await import('./program.js');
    const commands = createProgram().commands;
    const names = commands.map((c) => c.name());
    for (const cmd of ['info', 'show-batch', 'train', 'lr-find', 'evaluate', 'cv', 'recommend', 'similar', 'explain', 'demo']) expect(names).toContain(cmd);
    for (const c of commands) {
      expect(top.stdout, `collab --help lists ${c.name()}`).toContain(c.name());
      expect(c.helpInformation()).toContain(`Usage: collab ${c.name()}`);
    }
  });

  it('exits 2 with a one-line reason on usage errors', async () => {
    const missing = await collab('info');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--data/);
    const badNumber = await collab('train', '--data', csv, '--epochs', 'many');
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/positive integer/);
    const unknown = await collab('info', '--data', join(dir, 'nope.csv'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no such file or directory, and not a dataset name/);
  });

  it('exits 1 naming file, line and column for bad data, and never prints a stack trace', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'user,item,rating\n1,10,4\n2,11,four\n');
    const r = await collab('info', '--data', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:3:\d+: .*rating/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const skipped = await collab('info', '--data', bad, '--skip-bad-rows', '--json');
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ ratings: 1, skipped: 1 });
    expect((await collab('info', '--data', bad, '--skip-bad-rows')).stderr).toMatch(/skipped 1 bad rows/);
  });

  it('info --json prints one JSON document on stdout only', async () => {
    const r = await collab('info', '--data', csv, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({ ratings: 6000, users: 150 });
    expect(info.rating_min).toBeGreaterThanOrEqual(1);
    expect(info.rating_max).toBeLessThanOrEqual(5);
  });

  it('show-batch prints a table of the requested size', async () => {
    const r = await collab('show-batch', '--data', csv, '--bs', '7', '--seed', '1', '-q');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(7 + 2);
  });

  it('trains, saves, and then evaluates, recommends, finds similar items and explains from the saved model', async () => {
    const out = join(dir, 'model');
    const t = await collab('train', '--data', csv, '--model', 'dot-bias', '--epochs', '3', '--out', out, '--json');
    expect(t.code).toBe(0);
    const res = JSON.parse(t.stdout);
    expect(res.epochs).toHaveLength(3);
    expect(Object.keys(res.epochs[0]).sort()).toEqual(['epoch', 'seconds', 'train_loss', 'valid_loss']);
    expect(res.valid.rmse).toBeCloseTo(Math.sqrt(res.valid.mse), 6);
    expect(res.train_seconds).toBeGreaterThan(0);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    expect(existsSync(`${out}.checkpoint`)).toBe(false);

    const e = await collab('evaluate', '--model', out, '--data', csv, '--metrics', 'rmse,ndcg@5', '--json');
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout).metrics.rmse).toBeCloseTo(res.valid.rmse, 4);

    const rec = await collab('recommend', '--model', out, '--user', '1', '-k', '4', '--json');
    expect(rec.code).toBe(0);
    const recs = JSON.parse(rec.stdout).recommendations;
    expect(recs).toHaveLength(4);
    expect(recs[0].score).toBeGreaterThanOrEqual(recs[3].score);

    const sim = await collab('similar', '--model', out, '--item', '1', '-k', '3', '--json');
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout).similar).toHaveLength(3);

    const svg = join(dir, 'pca.svg');
    const ex = await collab('explain', '--model', out, '--svg', svg, '-q');
    expect(ex.code).toBe(0);
    expect(ex.stdout).toMatch(/principal component 1/);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);

    const unknown = await collab('recommend', '--model', out, '--user', 'no-such-user');
    expect(unknown.code).toBe(2); // an id the user typed: a usage error
    expect(unknown.stderr).toMatch(/unknown user id "no-such-user"/);
  });

  it('--save-best keeps the best epoch and --early-stop ends a run that stopped improving', async () => {
    const out = join(dir, 'best');
    // without weight decay and a high constant rate the validation loss turns up after its best epoch
    const r = await collab('train', '--data', csv, '--model', 'dot-bias', '--wd', '0', '--lr', '0.05', '--schedule', 'constant', '--epochs', '8', '--early-stop', '1', '--save-best', '--out', out, '--json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    const losses = res.epochs.map((e: { valid_loss: number }) => e.valid_loss);
    expect(losses.length).toBeLessThan(8);
    expect(res.valid.mse).toBeCloseTo(Math.min(...losses), 5);
    const ev = JSON.parse((await collab('evaluate', '--model', out, '--data', csv, '--metrics', 'mse', '--json')).stdout);
    expect(ev.metrics.mse).toBeCloseTo(Math.min(...losses), 4);
  });

  it('a diverging run fails clearly and leaves the previously saved model intact', async () => {
    const out = join(dir, 'keep');
    expect((await collab('train', '--data', csv, '--model', 'dot-bias', '--epochs', '1', '--out', out, '-q')).code).toBe(0);
    const weightsOf = (): Buffer => readFileSync(join(out, JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).weights)); // versioned file name
    const before = weightsOf();
    const r = await collab('train', '--data', csv, '--model', 'dot', '--y-range', 'none', '--lr', '1e12', '--schedule', 'constant', '--epochs', '2', '--out', out, '-q');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/diverged/);
    expect(weightsOf().equals(before)).toBe(true);
  });
});

const ml100k = testDataset('ml-100k', { files: ['u.data', 'u.item'], what: 'the MovieLens 100k CLI runs' });

describe.skipIf(!ml100k.present)('collab on MovieLens 100k', () => {
  it('info reports 100000 ratings, 943 users and 1682 items', async () => {
    const info = JSON.parse((await collab('info', '--data', 'ml-100k', '--json')).stdout);
    expect(info).toMatchObject({ ratings: 100000, users: 943, items: 1682, rating_min: 1, rating_max: 5 });
  });

  it('the demo trains and recommends films by title', async () => {
    const r = await collab('demo', '--epochs', '1', '--out', join(dir, 'demo-model'), '-q');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/top 10 films for user 196/);
    expect(r.stdout).toMatch(/films closest to Star Wars \(1977\)/);
    expect(r.stdout).toMatch(/\(\d{4}\)/);
  });
});

describe('collab config files and completion', () => {
  it('takes options from --config, lets typed flags win, and prints the resolved configuration', async () => {
    const cfg = join(dir, 'collab.config.json');
    writeFileSync(cfg, JSON.stringify({ data: csv, seed: 7, train: { model: 'dot', epochs: 2, 'y-range': [0, 5.5], lr: 0.01 } }));
    const r = await collab('train', '--config', cfg, '--epochs', '1', '--json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.epochs).toHaveLength(1); // the typed flag wins over the file
    expect(res.config).toMatchObject({ data: csv, model: 'dot', seed: 7, lr: 0.01, yRange: [0, 5.5], epochs: 1 });
    const logged = await collab('train', '--config', cfg, '--epochs', '1');
    expect(logged.stderr).toMatch(/resolved configuration: \{"data":".*","model":"dot"/);
  });

  it('rejects unknown options and bad values in a config file with usage errors', async () => {
    const cfg = join(dir, 'bad.config.json');
    writeFileSync(cfg, JSON.stringify({ train: { data: csv, epochz: 3 } }));
    const r = await collab('train', '--config', cfg);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"train" has no option "epochz"/);
    writeFileSync(cfg, JSON.stringify({ train: { data: csv, epochs: -1 } }));
    expect((await collab('train', '--config', cfg)).code).toBe(2);
  });

  it('prints a JSON schema equal to the committed collab.config.schema.json', async () => {
    const r = await collab('config-schema');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.properties.train.properties.epochs).toMatchObject({ type: 'number', default: 5 });
    const committed = JSON.parse(readFileSync(fileURLToPath(new URL('../../../collab.config.schema.json', import.meta.url)), 'utf8'));
    expect(committed, 'collab.config.schema.json is stale: run npx -y pnpm@10 --silent collab config-schema > collab.config.schema.json').toEqual(schema);
  });

  it('prints a bash completion script naming every command', async () => {
    const r = await collab('completion');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/complete -F _collab collab/);
    for (const c of ['train', 'recommend', 'serve']) expect(r.stdout).toContain(c);
  });
});
