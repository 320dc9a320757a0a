// The `userFactors/` and `itemFactors/` folders of a saved Spark ALSModel: Parquet part files (snappy) with
// the columns `id: int` and `features: array<float>`, and a `_SUCCESS` marker, as Spark's DataFrame writer
// leaves them. Read and written with hyparquet / hyparquet-writer (pure JavaScript, no native build).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@collab-ts/core';
import type { SchemaElement, SchemaTree } from 'hyparquet';

/** One factor table keyed by Spark's integer ids (rows in the order the files hold them). */
export interface SparkFactorTable {
  ids: Int32Array;
  /** `ids.length x rank`, row-major. */
  factors: Float32Array;
}

/** The Catalyst schema Spark records in each part file (`id` not null; an array of non-null floats). */
const ROW_METADATA = JSON.stringify({
  type: 'struct',
  fields: [
    { name: 'id', type: 'integer', nullable: false, metadata: {} },
    { name: 'features', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true, metadata: {} },
  ],
});

/** The Parquet schema Spark writes for that Catalyst schema: a required int32 and a standard 3-level LIST. */
const SCHEMA: SchemaElement[] = [
  { name: 'spark_schema', num_children: 2 },
  { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
];

/** Whether Spark (Hadoop) skips a file of a data folder: `_SUCCESS`, `.crc` checksums, other hidden files. */
export function isHiddenFile(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}

/** The part file names Spark's writer uses: `part-00000-<job uuid>-c000.snappy.parquet`. */
export function partFileName(part: number, job: string): string {
  return `part-${String(part).padStart(5, '0')}-${job}-c000.snappy.parquet`;
}

/**
 * The bytes of each part file of a factor table split into `parts` files (row ranges of near-equal size),
 * plus the empty `_SUCCESS` marker. Floats are PLAIN-encoded in Spark's standard LIST layout.
 */
export async function encodeFactorParts(t: SparkFactorTable, rank: number, parts: number): Promise<Record<string, Uint8Array>> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const n = t.ids.length;
  const count = Math.max(1, Math.min(parts, n));
  const job = randomUUID();
  const files: Record<string, Uint8Array> = {};
  for (let p = 0; p < count; p++) {
    const lo = Math.floor((p * n) / count);
    const hi = Math.floor(((p + 1) * n) / count);
    const features: number[][] = [];
    for (let r = lo; r < hi; r++) features.push(Array.from(t.factors.subarray(r * rank, (r + 1) * rank)));
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: t.ids.subarray(lo, hi), nullable: false, encoding: 'PLAIN' },
        { name: 'features', data: features, encoding: 'PLAIN' },
      ],
      schema: SCHEMA,
      codec: 'SNAPPY',
      rowGroupSize: 1 << 20,
      kvMetadata: [
        { key: 'org.apache.spark.version', value: '3.5.1' },
        { key: 'org.apache.spark.sql.parquet.row.metadata', value: ROW_METADATA },
      ],
      createdBy: 'collab-ts (hyparquet-writer)',
    });
    files[partFileName(p, job)] = new Uint8Array(buf);
  }
  files._SUCCESS = new Uint8Array(0);
  return files;
}

function column(tree: SchemaTree, name: string): SchemaTree | undefined {
  return tree.children.find((c) => c.element.name === name);
}

/** The leaf of a list column (3-level standard or 2-level legacy), or null when `c` is not a list of numbers. */
function listLeaf(c: SchemaTree): SchemaElement | null {
  let node = c;
  while (node.children.length === 1) node = node.children[0];
  if (node.children.length > 0 || node === c) return null;
  return node.element.type === 'FLOAT' || node.element.type === 'DOUBLE' ? node.element : null;
}

/**
 * Reads one part file into `ids` and `rows` (appending). Checks the columns Spark's `ALSModel` needs and
 * every row: an integer id, `rank` finite features.
 */
async function readPart(path: string, rank: number, ids: number[], rows: Float32Array[]): Promise<void> {
  const { parquetMetadata, parquetSchema, parquetRead } = await import('hyparquet');
  const bytes = readFileSync(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const idCol: unknown[] = [];
  const featCol: unknown[] = [];
  try {
    const metadata = parquetMetadata(file);
    const tree = parquetSchema(metadata);
    const id = column(tree, 'id');
    const feat = column(tree, 'features');
    if (!id || !feat) throw new DataError(`a factor part file needs the columns id and features; it has ${tree.children.map((c) => c.element.name).join(', ')}`, { file: path });
    if (id.element.type !== 'INT32' && id.element.type !== 'INT64') throw new DataError(`column id is ${id.element.type}, expected int`, { file: path });
    if (!listLeaf(feat)) throw new DataError('column features is not an array of floats', { file: path });
    await parquetRead({
      file,
      metadata,
      columns: ['id', 'features'],
      onChunk({ columnName, columnData, rowStart }) {
        const into = columnName === 'id' ? idCol : featCol;
        for (let r = 0; r < columnData.length; r++) into[rowStart + r] = columnData[r];
      },
    });
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`not a readable Parquet file, it may be damaged or truncated (${(err as Error).message})`, { file: path });
  }
  if (idCol.length !== featCol.length) throw new DataError(`${idCol.length} ids but ${featCol.length} feature rows`, { file: path });
  for (let r = 0; r < idCol.length; r++) {
    const raw = idCol[r];
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new DataError(`row ${r}: id ${String(raw)} is not an int`, { file: path });
    const f = featCol[r] as ArrayLike<number> | null;
    if (!f || f.length !== rank) throw new DataError(`row ${r} (id ${v}): features hold ${f ? f.length : 'null'} values, the metadata's rank is ${rank}`, { file: path });
    const row = Float32Array.from(f);
    for (let k = 0; k < rank; k++) if (!Number.isFinite(row[k])) throw new DataError(`row ${r} (id ${v}): feature ${k} is ${row[k]}, not a finite number`, { file: path });
    ids.push(v);
    rows.push(row);
  }
}

/** What {@link readFactorFolder} found. */
export interface FactorFolder extends SparkFactorTable {
  /** The part files read, in name order. */
  parts: string[];
  /** Whether the folder has Spark's `_SUCCESS` marker (the job that wrote it finished). */
  complete: boolean;
}

/**
 * Reads a folder of Parquet part files as Spark does (every file whose name does not start with `_` or `.`),
 * checking that no id appears twice.
 * @throws DataError naming the folder or the part file that is missing, damaged or inconsistent.
 */
export async function readFactorFolder(dir: string, rank: number): Promise<FactorFolder> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new DataError('expected a folder of Parquet part files', { file: dir });
    names = readdirSync(dir).sort();
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`cannot read the factor folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file: dir });
  }
  const parts = names.filter((n) => !isHiddenFile(n) && statSync(join(dir, n)).isFile());
  if (parts.length === 0) throw new DataError('the folder holds no Parquet part files', { file: dir });
  const ids: number[] = [];
  const rows: Float32Array[] = [];
  for (const p of parts) await readPart(join(dir, p), rank, ids, rows);
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) throw new DataError(`id ${id} appears in more than one row`, { file: dir });
    seen.add(id);
  }
  const factors = new Float32Array(ids.length * rank);
  rows.forEach((r, j) => factors.set(r, j * rank));
  return { ids: Int32Array.from(ids), factors, parts, complete: names.includes('_SUCCESS') };
}
