/* eslint-env node */
/* global process */
// Child process for the crash and race tests of saveModel (run by save-crash.test.ts).
// usage: node save-child.mjs save <dir> <seed>   |   node save-child.mjs hold-lock <dir>
import { Vocabulary } from '@collab-ts/core';
import { lockFolder } from '@collab-ts/core/node';
import { createModel } from '../../dist/index.js';
import { saveModel } from '../../dist/node.js';

const [mode, dir, seed] = process.argv.slice(2);
if (mode === 'hold-lock') {
  const release = lockFolder(dir);
  process.stdout.write('locked\n');
  process.stdin.resume();
  process.stdin.on('end', () => {
    release();
    process.exit(0);
  });
} else {
  const model = await createModel('dot', { nUsers: 3, nItems: 4, factors: 2, seed: Number(seed), initStd: 0.5 });
  const vocab = (kind, n) => new Vocabulary(kind, Array.from({ length: n }, (_, i) => `${kind[0]}${i}`));
  try {
    saveModel(dir, model, { users: vocab('user', 3), items: vocab('item', 4) });
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
