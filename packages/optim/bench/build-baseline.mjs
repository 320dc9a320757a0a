// Builds the optimizers of an older revision into bench/baseline/dist/index.js (git-ignored), so the
// benchmarks can time them beside today's in the same process.
// Usage: node bench/build-baseline.mjs [revision]   (default 0736743, the revision before the closed-form catch-up)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const rev = process.argv[2] ?? '0736743';
const pkg = fileURLToPath(new URL('..', import.meta.url));
const dir = fileURLToPath(new URL('./baseline/', import.meta.url));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const archive = execFileSync('git', ['archive', rev, 'src'], { cwd: pkg });
execFileSync('tar', ['-x', '-C', dir], { input: archive });
execFileSync('npx', ['tsup', 'bench/baseline/src/index.ts', '--format', 'esm', '--out-dir', 'bench/baseline/dist', '--no-config'], { cwd: pkg, stdio: 'inherit' });
console.log(`optimizers of ${rev} built into bench/baseline/dist/index.js`);
