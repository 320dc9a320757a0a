import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isCI, testDataset } from './data.mjs';

const root = mkdtempSync(join(tmpdir(), 'collab-test-data-'));
mkdirSync(join(root, 'ml-100k'));
writeFileSync(join(root, 'ml-100k', 'u.data'), '1\t1\t5\t0\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Calls testDataset with a recording `register` and a captured console.warn. */
function probe(env: NodeJS.ProcessEnv, files: string[] = ['u.data']) {
  const registered: { name: string; fn: () => void }[] = [];
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const ds = testDataset('ml-100k', { files, what: 'the probe tests', env, register: (name, fn) => registered.push({ name, fn }) });
    return { ds, registered, warnings: warn.mock.calls.map((c) => String(c[0])) };
  } finally {
    warn.mockRestore();
  }
}

describe('testDataset', () => {
  it('finds a dataset whose files are all there, silently', () => {
    const { ds, registered, warnings } = probe({ COLLAB_DATA_DIR: root });
    expect(ds).toEqual({ present: true, dir: join(root, 'ml-100k'), reason: undefined });
    expect(registered).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('skips with a printed reason when the variable is unset, the folder is absent or a file is missing', () => {
    const unset = probe({});
    expect(unset.ds.present).toBe(false);
    expect(unset.warnings).toEqual(['skipping the probe tests: COLLAB_DATA_DIR is not set (point it at the folder holding ml-100k/)']);
    expect(unset.registered).toEqual([]);

    const absent = probe({ COLLAB_DATA_DIR: join(root, 'nowhere') });
    expect(absent.ds.reason).toBe(`${join(root, 'nowhere', 'ml-100k')} does not exist (COLLAB_DATA_DIR=${join(root, 'nowhere')})`);

    const partial = probe({ COLLAB_DATA_DIR: root }, ['u.data', 'u.item', 'u1.base']);
    expect(partial.ds.present).toBe(false);
    expect(partial.warnings[0]).toMatch(/lacks u\.item, u1\.base$/);
  });

  it('with CI set, registers one failing test that gives the reason instead of skipping', () => {
    const { ds, registered, warnings } = probe({ CI: 'true' });
    expect(ds.present).toBe(false);
    expect(warnings).toEqual([]);
    expect(registered).toHaveLength(1);
    expect(registered[0].name).toBe('finds ml-100k in $COLLAB_DATA_DIR (required when CI is set)');
    expect(registered[0].fn).toThrow(/the probe tests cannot run without ml-100k: COLLAB_DATA_DIR is not set .*CI is set/);
  });

  it('reads CI the way CI services set it', () => {
    expect(isCI({ CI: 'true' })).toBe(true);
    expect(isCI({ CI: '1' })).toBe(true);
    expect(isCI({ CI: 'false' })).toBe(false);
    expect(isCI({ CI: '0' })).toBe(false);
    expect(isCI({})).toBe(false);
  });
});
