// One rule for tests that need a dataset from $COLLAB_DATA_DIR (MovieLens may not be redistributed, so it is
// never in the repository): when the variable is unset or the files are missing, the tests are skipped with a
// printed reason; when CI is set, a missing dataset is a broken environment, so a failing test says why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';

/** The environment variable naming the folder that holds the datasets (`$COLLAB_DATA_DIR/ml-100k/u.data`). */
export const DATA_DIR_ENV = 'COLLAB_DATA_DIR';

/**
 * True when `CI` is set to anything but an empty string, `0` or `false`.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function isCI(env = process.env) {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/**
 * @param {string} name
 * @param {import('./data.d.mts').TestDatasetOptions} [options]
 * @returns {import('./data.d.mts').TestDataset}
 */
export function testDataset(name, options = {}) {
  const { files = [], what = `the tests on ${name}`, env = process.env, register = it } = options;
  const root = (env[DATA_DIR_ENV] ?? '').trim();
  const dir = root === '' ? '' : join(root, name);
  let reason;
  if (root === '') reason = `${DATA_DIR_ENV} is not set (point it at the folder holding ${name}/)`;
  else if (!existsSync(dir)) reason = `${dir} does not exist (${DATA_DIR_ENV}=${root})`;
  else {
    const absent = files.filter((f) => !existsSync(join(dir, f)));
    if (absent.length > 0) reason = `${dir} lacks ${absent.join(', ')}`;
  }
  if (reason === undefined) return { present: true, dir, reason: undefined };
  if (isCI(env)) {
    const message = `${what} cannot run without ${name}: ${reason} (CI is set, so a missing dataset fails instead of skipping)`;
    register(`finds ${name} in $${DATA_DIR_ENV} (required when CI is set)`, () => {
      throw new Error(message);
    });
  } else {
    console.warn(`skipping ${what}: ${reason}`);
  }
  return { present: false, dir, reason };
}
