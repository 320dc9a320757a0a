// The published packages as their users get them: every publishable package is packed with pnpm (which turns
// `workspace:*` and `catalog:` into real versions, as `pnpm publish` does), checked with publint and
// arethetypeswrong, then installed with plain npm into fresh projects (all together, and core, data, eval and
// models each alone) where the README's library quick start runs in ESM and in CommonJS, on synthetic data.
// Every child process is asynchronous; npm reaches the registry for third-party dependencies (its cache makes
// later runs fast).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit, runProcess, type RunResult } from '@collab-ts/tooling/test/process';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(appDir, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'collab-pack-test-'));
const packDir = join(work, 'tarballs');
afterAll(() => {
  if (!process.env.COLLAB_KEEP_PACK_TEST) rmSync(work, { recursive: true, force: true });
});

interface Published {
  name: string;
  dir: string;
  rel: string;
  tarball: string;
  /** package.json as packed (workspace: and catalog: ranges replaced). */
  manifest: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Every workspace package under packages/ and apps/ that is not private. */
function publishable(): Omit<Published, 'tarball' | 'manifest'>[] {
  const out: Omit<Published, 'tarball' | 'manifest'>[] = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const file = join(root, group, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (!pkg.private) out.push({ name: pkg.name, dir: join(root, group, name), rel: `${group}/${name}` });
    }
  }
  return out;
}

/** pnpm as this run was started (turbo runs the package script with it), or fetched through npx. */
function pnpm(args: string[], cwd: string): Promise<RunResult> {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(basename(execPath)) && /\.c?js$/.test(execPath)) return runProcess(process.execPath, [execPath, ...args], { cwd, timeout: 180_000 });
  return runProcess('npx', ['-y', 'pnpm@10', ...args], { cwd, timeout: 180_000 });
}

/**
 * The environment of a plain npm and node: none of the npm_* / pnpm settings that the pnpm running these tests
 * exports, and no NODE_PATH (pnpm points it at the monorepo's own packages, where CommonJS `require` would find
 * what the fresh project lacks).
 */
function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|pnpm_|node_path$)/i.test(k)) env[k] = v;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

const packages: Published[] = [];
const byName = (name: string): Published => {
  const p = packages.find((x) => x.name === name);
  if (!p) throw new Error(`${name} was not packed`);
  return p;
};
const fileSpec = (name: string): string => `file:${byName(name).tarball}`;

beforeAll(async () => {
  mkdirSync(packDir, { recursive: true });
  const packed = await mapLimit(publishable(), 2, async (p) => {
    const r = await pnpm(['pack', '--pack-destination', packDir], p.dir);
    if (r.code !== 0) throw new Error(`pnpm pack in ${p.rel} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    const tarball = r.stdout.trim().split('\n').pop()!.trim();
    if (!existsSync(tarball)) throw new Error(`pnpm pack in ${p.rel} printed no tarball path:\n${r.stdout}`);
    const unpacked = join(work, 'unpacked', p.rel);
    mkdirSync(unpacked, { recursive: true });
    const tar = await runProcess('tar', ['-xzf', tarball, '-C', unpacked]);
    if (tar.code !== 0) throw new Error(`tar -xzf ${tarball}: ${tar.stderr}`);
    return { ...p, tarball, manifest: JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8')) };
  });
  packages.push(...packed);
}, 600_000);

/** A fresh npm project in the work folder with these dependencies (and overrides), installed with plain npm. */
async function npmProject(name: string, dependencies: Record<string, string>, overrides: Record<string, string> = {}): Promise<string> {
  const dir = join(work, 'projects', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, dependencies, overrides }, null, 2));
  const r = await runProcess('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, env: plainEnv(), timeout: 480_000 });
  if (r.code !== 0) throw new Error(`npm install in ${dir} failed (${r.code}${r.timedOut ? ', timed out' : ''}):\n${r.stdout}\n${r.stderr}`);
  return dir;
}

/** The other @collab-ts tarballs as npm overrides, so a package's own @collab-ts dependencies come from this build. */
function overridesFor(direct: string): Record<string, string> {
  return Object.fromEntries(packages.filter((p) => p.name !== direct).map((p) => [p.name, fileSpec(p.name)]));
}

/**
 * Writes `body` (statements that may `await`, ending in a `console.log(JSON.stringify(...))`) as an ES module
 * and as a CommonJS script with the given imports, runs both with node and returns their parsed outputs.
 */
async function runBoth(dir: string, name: string, imports: Record<string, string[]>, body: string, nodeArgs: string[] = []): Promise<[unknown, unknown]> {
  const esm = Object.entries(imports)
    .map(([from, names]) => `import { ${names.join(', ')} } from '${from}';`)
    .join('\n');
  const cjs = Object.entries(imports)
    .map(([from, names]) => `const { ${names.join(', ')} } = require('${from}');`)
    .join('\n');
  writeFileSync(join(dir, `${name}.mjs`), `${esm}\n\n${body}\n`);
  writeFileSync(join(dir, `${name}.cjs`), `${cjs}\n\n(async () => {\n${body}\n})().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});\n`);
  const run = async (file: string): Promise<unknown> => {
    const r = await runProcess(process.execPath, [...nodeArgs, file], { cwd: dir, env: plainEnv(), timeout: 180_000 });
    if (r.code !== 0) throw new Error(`node ${file} in ${dir} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };
  return [await run(`${name}.mjs`), await run(`${name}.cjs`)];
}

const rootLicense = readFileSync(join(root, 'LICENSE'), 'utf8');

describe('the published packages', () => {
  it('pack with dist, README, CHANGELOG and the MIT LICENSE, concrete dependency ranges and the publishing metadata', () => {
    expect(packages.map((p) => p.name).sort()).toEqual(
      ['@collab-ts/cli', '@collab-ts/core', '@collab-ts/data', '@collab-ts/eval', '@collab-ts/models', '@collab-ts/optim', '@collab-ts/train'].sort(),
    );
    for (const p of packages) {
      const unpacked = join(work, 'unpacked', p.rel, 'package');
      const m = p.manifest;
      expect(readFileSync(join(unpacked, 'LICENSE'), 'utf8'), `${p.name} LICENSE`).toBe(rootLicense);
      expect(existsSync(join(unpacked, 'README.md')), `${p.name} README.md`).toBe(true);
      expect(readFileSync(join(unpacked, 'CHANGELOG.md'), 'utf8'), `${p.name} CHANGELOG.md`).toMatch(new RegExp(`^# ${p.name}\n`));
      expect(readdirSync(join(unpacked, 'dist')).length, `${p.name} dist/`).toBeGreaterThan(0);
      expect(existsSync(join(unpacked, 'src')), `${p.name} ships no sources`).toBe(false);
      expect(m.license).toBe('MIT');
      expect(m.engines?.node).toBe('>=20.19');
      expect(m.publishConfig?.access).toBe('public');
      expect(m.repository?.directory).toBe(p.rel);
      expect(m.homepage).toMatch(/^https:\/\//);
      expect(m.bugs?.url).toMatch(/^https:\/\//);
      expect(m.keywords).toContain('collaborative-filtering');
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
        for (const [dep, range] of Object.entries((m[field] ?? {}) as Record<string, string>)) {
          expect(range, `${p.name} ${field}.${dep}`).not.toMatch(/^(workspace|catalog):/);
        }
      }
    }
    // the pins and optional peers that make a plain npm install work
    expect(byName('@collab-ts/data').manifest.dependencies).toMatchObject({ '@uwdata/flechette': '2.6.0', arquero: '8.0.3' });
    expect(byName('@collab-ts/data').manifest.dependencies['csv-parse']).toBeUndefined(); // bundled into dist
    // usearch (serve --ann, a native addon) is optional for the CLI and no dependency of any library package
    expect(byName('@collab-ts/cli').manifest.optionalDependencies).toEqual({ usearch: '~2.25.3' });
    for (const p of packages) expect(p.manifest.dependencies?.usearch, `${p.name} dependencies.usearch`).toBeUndefined();
    const models = byName('@collab-ts/models').manifest;
    expect(Object.keys(models.dependencies).filter((d) => d.startsWith('@tensorflow/'))).toEqual([]);
    for (const tf of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node']) {
      expect(models.peerDependenciesMeta[tf], tf).toEqual({ optional: true });
    }
  });

  it('publint finds no errors or warnings', async () => {
    const report: string[] = [];
    for (const p of packages) {
      const bytes = readFileSync(p.tarball);
      const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion' });
      for (const m of messages) {
        const line = `${p.name} ${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`;
        if (m.type === 'suggestion') console.log(`publint ${line}`);
        else report.push(line);
      }
    }
    expect(report).toEqual([]);
  }, 120_000);

  it('arethetypeswrong finds no problems in any typed entry point (node10, node16 CJS and ESM, bundler)', async () => {
    const attw = join(appDir, 'node_modules', '.bin', 'attw');
    const results = await mapLimit(packages, 2, async (p) => {
      const r = await runProcess(attw, [p.tarball, '--format', 'json'], { timeout: 180_000 });
      const json = JSON.parse(r.stdout) as { analysis: { types: unknown; problems?: unknown[]; entrypoints?: Record<string, unknown> } };
      return { p, code: r.code, analysis: json.analysis, stderr: r.stderr };
    });
    for (const { p, code, analysis, stderr } of results) {
      if (p.name === '@collab-ts/cli') {
        expect(analysis.types, 'the CLI ships a bin, no types').toBe(false);
        expect(p.manifest.bin).toEqual({ collab: './dist/bin.js' });
        continue;
      }
      expect(analysis.problems, `${p.name}: ${JSON.stringify(analysis.problems)}`).toEqual([]);
      expect(code, `${p.name}: ${stderr}`).toBe(0);
      expect(Object.keys(analysis.entrypoints ?? {}).sort()).toEqual(Object.keys(p.manifest.exports).sort());
    }
  }, 600_000);

  it("npm installs all of them together, and the README's quick start runs from them in ESM and CommonJS", async () => {
    const dir = await npmProject('all', Object.fromEntries(packages.map((p) => [p.name, fileSpec(p.name)])));
    // the README's calls (loadRatings, randomSplit, createModel, Learner, recommendForUser, similarItems), on a
    // synthetic ratings file instead of MovieLens
    const [esm, cjs] = await runBoth(
      dir,
      'quickstart',
      {
        '@collab-ts/data': ['generateSynthetic', 'randomSplit'],
        '@collab-ts/data/node': ['loadRatings', 'writeRatingsCsv'],
        '@collab-ts/models': ['createModel'],
        '@collab-ts/train': ['Learner'],
        '@collab-ts/eval': ['recommendForUser', 'similarItems'],
      },
      `
const synthetic = generateSynthetic({ users: 150, items: 100, ratings: 6000, factors: 4, seed: 7 });
writeRatingsCsv(synthetic.dataset.ratings, synthetic.dataset, 'ratings.csv');
const { dataset: ds } = loadRatings('ratings.csv');
const { train, valid } = randomSplit(ds.ratings, { validPct: 0.2, seed: 42 });
const model = await createModel('embedding-dot-bias', { nUsers: ds.users.size, nItems: ds.items.size, factors: 10 });
const learn = new Learner({ model, train, valid, bs: 64, seed: 42 });
const fit = await learn.fitOneCycle(3, 5e-3, { wd: 0.1 });
const user = ds.users.encode('1');
const recs = recommendForUser(model, user, { k: 5 });
const similar = similarItems(model.factors(), ds.items.encode('1'), 5);
// the CLI brings TensorFlow.js (an optional peer of models) into this project, so a tfjs backend loads
const tf = await createModel('dot', { nUsers: 3, nItems: 4, backend: 'cpu' });
console.log(JSON.stringify({
  ratings: ds.ratings.ratings.length, users: ds.users.size, items: ds.items.size,
  train: train.ratings.length, valid: valid.ratings.length, backend: model.backend, tfBackend: tf.backend,
  validLoss: fit.epochs.map((e) => e.validLoss),
  recs: recs.map((r) => [ds.items.decode(r.item), r.score]),
  similar: similar.map((s) => ds.items.decode(s.index)),
}));`,
    );
    const out = esm as { ratings: number; users: number; train: number; valid: number; backend: string; tfBackend: string; validLoss: number[]; recs: [string, number][]; similar: string[] };
    expect(out).toMatchObject({ ratings: 6000, users: 150, train: 4800, valid: 1200, backend: 'fused', tfBackend: 'cpu' });
    expect(out.validLoss).toHaveLength(3);
    expect(out.validLoss[2]).toBeLessThan(out.validLoss[0]);
    expect(out.recs).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(out.recs[i][1]).toBeLessThanOrEqual(out.recs[i - 1][1]);
    expect(out.similar).toHaveLength(5);
    expect(out.similar).not.toContain('1');
    expect(cjs, 'the CommonJS build computes exactly what the ESM build does').toEqual(esm);

    const info = await runProcess(join(dir, 'node_modules', '.bin', 'collab'), ['info', '--data', 'ratings.csv', '--json'], { cwd: dir, env: plainEnv() });
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ ratings: 6000, users: 150 });
  }, 600_000);

  it('npm installs @collab-ts/core alone', async () => {
    const dir = await npmProject('core-alone', { '@collab-ts/core': fileSpec('@collab-ts/core') });
    expect(readdirSync(join(dir, 'node_modules', '@collab-ts'))).toEqual(['core']);
    const [esm, cjs] = await runBoth(
      dir,
      'core',
      {
        'node:fs': ['readFileSync'],
        '@collab-ts/core': ['createRng', 'ParamStore', 'encodeSafetensors', 'decodeSafetensors'],
        '@collab-ts/core/node': ['writeFileAtomic'],
      },
      `
const rng = createRng(42);
const draws = [rng.next(), rng.next(), rng.int(100)];
const store = new ParamStore();
store.add('w', [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
writeFileAtomic('w.safetensors', encodeSafetensors({ w: { shape: [2, 3], data: store.get('w').data } }));
const back = decodeSafetensors(new Uint8Array(readFileSync('w.safetensors')));
console.log(JSON.stringify({ draws, shape: back.tensors.w.shape, data: Array.from(back.tensors.w.data) }));`,
    );
    expect(esm).toMatchObject({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    expect(cjs).toEqual(esm);
  }, 600_000);

  it('npm installs @collab-ts/data alone (arquero with @uwdata/flechette 2.6.0, deduped), and its CommonJS build names the Node it needs', async () => {
    const dir = await npmProject('data-alone', { '@collab-ts/data': fileSpec('@collab-ts/data') }, overridesFor('@collab-ts/data'));
    expect(readdirSync(join(dir, 'node_modules', '@collab-ts')).sort()).toEqual(['core', 'data']);
    // one flechette in the tree, the pinned one: arquero's ^2 was deduped to it (2.7.0 needs a package the registry lacks)
    const flechette = JSON.parse(readFileSync(join(dir, 'node_modules', '@uwdata', 'flechette', 'package.json'), 'utf8'));
    expect(flechette.version).toBe('2.6.0');
    expect(existsSync(join(dir, 'node_modules', 'arquero', 'node_modules', '@uwdata', 'flechette'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'csv-parse'))).toBe(false);
    const script = `
const synthetic = generateSynthetic({ users: 50, items: 40, ratings: 900, seed: 3 });
writeRatingsCsv(synthetic.dataset.ratings, synthetic.dataset, 'ratings.csv');
const { dataset, format } = loadRatings('ratings.csv');
const { train, valid } = randomSplit(dataset.ratings, { validPct: 0.2, seed: 42 });
// Parquet through hyparquet (pure JavaScript): the same rows written and read back give the same dataset
writeRatingsParquet(dataset.ratings, dataset, 'ratings.parquet');
const parquet = await loadRatingsAsync('ratings.parquet');
const same = parquet.dataset.users.rawIds.join() === dataset.users.rawIds.join() && parquet.dataset.ratings.ratings.join() === dataset.ratings.ratings.join();
console.log(JSON.stringify({ format, ratings: dataset.ratings.ratings.length, users: dataset.users.size, items: dataset.items.size, train: train.ratings.length, valid: valid.ratings.length, parquet: parquet.format, same }));`;
    const imports = { '@collab-ts/data': ['generateSynthetic', 'randomSplit'], '@collab-ts/data/node': ['loadRatings', 'loadRatingsAsync', 'writeRatingsCsv', 'writeRatingsParquet'] };
    const [esm, cjs] = await runBoth(dir, 'data', imports, script);
    expect(esm).toEqual({ format: 'ml-latest', ratings: 900, users: 50, items: 40, train: 720, valid: 180, parquet: 'parquet', same: true });
    expect(cjs).toEqual(esm);
    // a Node that cannot require() ES modules (older than 20.19, or with the feature turned off) gets a clear reason
    const old = await runProcess(process.execPath, ['--no-experimental-require-module', 'data.cjs'], { cwd: dir, env: plainEnv() });
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/@collab-ts\/data: require\(\) of this package needs Node >= 20\.19 \(its dependency arquero is an ES module/);
  }, 600_000);

  it('npm installs @collab-ts/eval alone', async () => {
    const dir = await npmProject('eval-alone', { '@collab-ts/eval': fileSpec('@collab-ts/eval') }, overridesFor('@collab-ts/eval'));
    expect(readdirSync(join(dir, 'node_modules', '@collab-ts')).sort()).toEqual(['core', 'eval']);
    const [esm, cjs] = await runBoth(
      dir,
      'eval',
      { '@collab-ts/eval': ['biasBaseline', 'evaluateRatings', 'recommendForUser', 'similarItems', 'rmse'] },
      `
// three users, three items: user 0 likes everything, item 2 is disliked by everyone
const train = { users: Int32Array.from([0, 0, 1, 1, 2, 2]), items: Int32Array.from([0, 2, 1, 2, 0, 1]), ratings: Float32Array.from([5, 3, 4, 1, 4, 4]) };
const test = { users: Int32Array.from([0, 1]), items: Int32Array.from([1, 0]), ratings: Float32Array.from([5, 3]) };
const baseline = biasBaseline(train, { nUsers: 3, nItems: 3 });
const metrics = evaluateRatings(baseline, test);
const recs = recommendForUser(baseline, 1, { k: 3, exclude: [1, 2] });
const factors = { dim: 2, userFactors: new Float32Array(6), itemFactors: Float32Array.from([1, 0, 0.9, 0.1, 0, 1]), userBias: null, itemBias: null, yRange: null };
const similar = similarItems(factors, 0, 2).map((s) => s.index);
console.log(JSON.stringify({ n: metrics.n, rmseMatches: Math.abs(metrics.rmse - rmse(baseline.predict(test.users, test.items), test.ratings)) < 1e-6, recs: recs.map((r) => r.item), similar }));`,
    );
    expect(esm).toEqual({ n: 2, rmseMatches: true, recs: [0], similar: [1, 2] });
    expect(cjs).toEqual(esm);
  }, 600_000);

  it('npm installs @collab-ts/models alone, without TensorFlow.js; a tfjs backend then says what to install', async () => {
    const dir = await npmProject('models-alone', { '@collab-ts/models': fileSpec('@collab-ts/models') }, overridesFor('@collab-ts/models'));
    expect(readdirSync(join(dir, 'node_modules', '@collab-ts')).sort()).toEqual(['core', 'models']);
    expect(existsSync(join(dir, 'node_modules', '@tensorflow'))).toBe(false);
    const [esm, cjs] = await runBoth(
      dir,
      'models',
      { '@collab-ts/models': ['createModel'] },
      `
const model = await createModel('dot-bias', { nUsers: 4, nItems: 5, factors: 3 });
const scores = model.predict(Int32Array.from([0, 3]), Int32Array.from([1, 4]));
let tfjs;
try {
  await createModel('dot', { nUsers: 4, nItems: 5, backend: 'cpu' });
  tfjs = 'loaded';
} catch (err) {
  tfjs = { name: err.name, exitCode: err.exitCode, message: err.message };
}
console.log(JSON.stringify({ backend: model.backend, scores: scores.length, tfjs }));`,
    );
    expect(esm).toEqual({
      backend: 'fused',
      scores: 2,
      tfjs: {
        name: 'UsageError',
        exitCode: 2,
        message:
          "backend 'cpu' runs on TensorFlow.js, an optional peer dependency of @collab-ts/models, and @tensorflow/tfjs-core is not installed: " +
          "run `npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu` (4.22.x), or use backend 'fused' (the default, which needs no TensorFlow.js)",
      },
    });
    expect(cjs).toEqual(esm);
  }, 600_000);
});
