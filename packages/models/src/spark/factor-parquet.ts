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

/** Ids and factor rows read so far, in growing typed arrays (no per-row allocation). */
class FactorRows {
  ids = new Int32Array(1024);
  factors: Float32Array;
  count = 0;
  constructor(readonly rank: number) {
    this.factors = new Float32Array(1024 * rank);
  }
  reserve(more: number): void {
    const need = this.count + more;
    if (need <= this.ids.length) return;
    const cap = Math.max(need, this.ids.length * 2);
    const ids = new Int32Array(cap);
    ids.set(this.ids.subarray(0, this.count));
    const factors = new Float32Array(cap * this.rank);
    factors.set(this.factors.subarray(0, this.count * this.rank));
    this.ids = ids;
    this.factors = factors;
  }
}

/**
 * Reads one part file into `out` (appending). Checks the columns Spark's `ALSModel` needs and every row: an
 * integer id, `rank` finite features.
 */
async function readPart(path: string, out: FactorRows): Promise<void> {
  const { parquetMetadata, parquetSchema, parquetRead } = await import('hyparquet');
  const rank = out.rank;
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
  out.reserve(idCol.length);
  for (let r = 0; r < idCol.length; r++) {
    const raw = idCol[r];
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new DataError(`row ${r}: id ${String(raw)} is not an int`, { file: path });
    const f = featCol[r] as ArrayLike<number> | null;
    if (!f || f.length !== rank) throw new DataError(`row ${r} (id ${v}): features hold ${f ? f.length : 'null'} values, the metadata's rank is ${rank}`, { file: path });
    const at = out.count * rank;
    for (let k = 0; k < rank; k++) {
      const x = f[k];
      // a null element (Spark's arrays may allow them) or a NaN/infinity is not a usable factor
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new DataError(`row ${r} (id ${v}): feature ${k} is ${String(x)}, not a finite number`, { file: path });
      out.factors[at + k] = x;
    }
    out.ids[out.count++] = v;
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
  const rows = new FactorRows(rank);
  for (const p of parts) await readPart(join(dir, p), rows);
  const ids = rows.ids.slice(0, rows.count);
  const sorted = ids.slice().sort();
  for (let j = 1; j < sorted.length; j++) if (sorted[j] === sorted[j - 1]) throw new DataError(`id ${sorted[j]} appears in more than one row`, { file: dir });
  return { ids, factors: rows.factors.slice(0, rows.count * rank), parts, complete: names.includes('_SUCCESS') };
}
