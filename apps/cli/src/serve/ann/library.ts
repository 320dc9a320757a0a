import { UsageError } from '@collab-ts/core';

/** The npm package behind `collab serve --ann`, an optional dependency of the CLI, and how to install it. */
export const ANN_PACKAGE = 'usearch';
export const ANN_INSTALL = 'npm install usearch@~2.25.3';

/** The part of a usearch index this CLI uses (an HNSW graph in native code, inner-product metric). */
export interface NativeAnnIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(vector: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array };
  size(): number;
  dimensions(): number;
  save(path: string): void;
  load(path: string): void;
}

/** The configuration a usearch index is created with. */
export interface NativeAnnConfig {
  dimensions: number;
  metric: 'ip';
  quantization: 'f32';
  connectivity: number;
  expansion_add: number;
  expansion_search: number;
  multi: false;
}

/** What the CLI needs from the library: a constructor of indexes. */
export interface AnnLibrary {
  readonly name: string;
  createIndex(config: NativeAnnConfig): NativeAnnIndex;
}

/** Imports the library's module; tests inject one that fails, as on a machine where it is not installed. */
export type AnnLoader = () => Promise<unknown>;

const importUsearch: AnnLoader = () => import('usearch');

/**
 * Loads usearch for `--ann`. It is an optional dependency (a native addon with prebuilt binaries for Linux,
 * macOS and Windows): where it is missing, or has no binary for this platform, `--ann` is a usage error that
 * says what to install (exit 2), and serving without `--ann` is unaffected.
 */
export async function loadAnnLibrary(load: AnnLoader = importUsearch): Promise<AnnLibrary> {
  let mod: unknown;
  try {
    mod = await load();
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new UsageError(`--ann needs the optional package ${ANN_PACKAGE}, which could not be loaded (${reason}): run \`${ANN_INSTALL}\` where collab is installed, or serve without --ann`);
  }
  const ns = mod as { default?: { Index?: unknown }; Index?: unknown };
  const Index = (ns.default?.Index ?? ns.Index) as (new (config: NativeAnnConfig) => NativeAnnIndex) | undefined;
  if (typeof Index !== 'function') throw new UsageError(`--ann: the installed ${ANN_PACKAGE} has no Index class; run \`${ANN_INSTALL}\``);
  return { name: ANN_PACKAGE, createIndex: (config) => new Index(config) };
}
