/** The environment variable naming the folder that holds the datasets (`$COLLAB_DATA_DIR/ml-100k/u.data`). */
export declare const DATA_DIR_ENV = 'COLLAB_DATA_DIR';

/** True when `CI` is set to anything but an empty string, `0` or `false`. */
export function isCI(env?: NodeJS.ProcessEnv): boolean;

export interface TestDatasetOptions {
  /** Files that must exist in the dataset folder (`['u.data', 'u.item']`). */
  files?: readonly string[];
  /** What is skipped, for the printed reason: "the MovieLens 100k figures". */
  what?: string;
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Registers the failing test when CI is set; defaults to vitest's `it` (tests of this helper pass their own). */
  register?: (name: string, fn: () => void) => void;
}

export interface TestDataset {
  /** The dataset is there: run the tests. */
  present: boolean;
  /** `$COLLAB_DATA_DIR/<name>` (an empty string when the variable is unset). */
  dir: string;
  /** Why it is missing; `undefined` when present. */
  reason: string | undefined;
}

/**
 * Finds a dataset for tests in `$COLLAB_DATA_DIR/<name>`. Missing: prints "skipping <what>: <reason>" and returns
 * `present: false` (use it with `describe.skipIf(!ds.present)`), except when CI is set, where it registers a
 * test that fails with the reason instead.
 */
export function testDataset(name: string, options?: TestDatasetOptions): TestDataset;
