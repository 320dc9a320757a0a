import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { CollabError, DataError } from '@collab-ts/core';

/** One Parquet file to read: its bytes (or a random-access view of them) and a name for messages. */
export interface ParquetSource {
  /** File path or another label, used in error messages. */
  readonly name: string;
  /** The bytes, or an object that returns byte ranges (`byteLength` plus `slice(start, end)`). */
  readonly file: ArrayBuffer | AsyncBuffer;
}

/** A column of a Parquet file as `parseParquetTable` reports it. */
export interface ParquetColumnInfo {
  readonly name: string;
  /**
   * The type in Spark SQL's words: `int`, `long`, `float`, `double`, `string`, `boolean`, `binary`,
   * `date`, `timestamp`, `decimal`, `array<float>` (and other `array<...>`), or `struct` / `map`.
   */
  readonly type: string;
  /** Whether the column may hold nulls (Parquet OPTIONAL). */
  readonly nullable: boolean;
}

/** An opened Parquet source: its footer and its top-level columns. @internal */
export interface OpenedParquet {
  readonly source: ParquetSource;
  readonly metadata: FileMetaData;
  readonly rows: number;
  readonly columns: readonly ParquetColumnInfo[];
  /** The schema node of each top-level column, by name. */
  readonly nodes: ReadonlyMap<string, SchemaTree>;
}

/** A library error (damaged footer, bad page, unknown codec) as one line naming the file. @internal */
export function damaged(name: string, err: unknown): CollabError {
  if (err instanceof CollabError) return err;
  const why = (err instanceof Error ? err.message : String(err)).replace(/^parquet /, '');
  return new DataError(`not a readable Parquet file (${why})`, { file: name });
}

function leafType(e: SchemaTree['element']): string {
  const c = e.converted_type;
  const l = e.logical_type?.type;
  if (c === 'DECIMAL' || l === 'DECIMAL') return 'decimal';
  if (c === 'DATE' || l === 'DATE') return 'date';
  if (c?.startsWith('TIMESTAMP') || l === 'TIMESTAMP' || e.type === 'INT96') return 'timestamp';
  switch (e.type) {
    case 'INT32':
      return 'int';
    case 'INT64':
      return 'long';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'BOOLEAN':
      return 'boolean';
    case 'BYTE_ARRAY':
      return c === 'UTF8' || l === 'STRING' || c === 'ENUM' || l === 'ENUM' || c === 'JSON' || l === 'JSON' ? 'string' : 'binary';
    default:
      return 'binary';
  }
}

/** The Spark SQL name of a schema node's type (a 3-level or 2-level LIST is `array<element>`). */
export function typeName(node: SchemaTree): string {
  const e = node.element;
  if (node.children.length === 0) return e.repetition_type === 'REPEATED' ? `array<${leafType(e)}>` : leafType(e);
  if (e.converted_type === 'LIST' || e.logical_type?.type === 'LIST') {
    const repeated = node.children[0];
    const element = repeated.children.length === 1 ? repeated.children[0] : repeated;
    return `array<${repeated.children.length === 0 ? leafType(repeated.element) : typeName(element)}>`;
  }
  if (e.converted_type === 'MAP' || e.logical_type?.type === 'MAP') return 'map';
  return 'struct';
}

/** Reads a source's footer and lists its columns; a damaged file gives one line naming it. @internal */
export async function openParquet(source: ParquetSource): Promise<OpenedParquet> {
  const size = source.file.byteLength;
  // magic + footer length + magic: anything shorter cannot be Parquet
  if (size < 12) throw new DataError(`not a readable Parquet file (${size === 0 ? 'it is empty' : `only ${size} bytes`})`, { file: source.name });
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(source.file);
  } catch (err) {
    throw damaged(source.name, err);
  }
  const tree = parquetSchema(metadata);
  const nodes = new Map(tree.children.map((n) => [n.element.name, n]));
  const columns = tree.children.map((n) => ({ name: n.element.name, type: typeName(n), nullable: n.element.repetition_type !== 'REQUIRED' }));
  return { source, metadata, rows: Number(metadata.num_rows), columns, nodes };
}

/** The decoded columns of one row group: rows [groupStart, groupStart + rows) of the file. @internal */
export interface RowGroupData {
  readonly groupStart: number;
  readonly rows: number;
  /** One value a row for each column read (typed arrays for REQUIRED numeric columns, else arrays). */
  readonly columns: ReadonlyMap<string, ArrayLike<unknown>>;
}

type Typed = Int32Array | Float32Array | Float64Array | BigInt64Array | Uint8Array;

/** Chunks of one column (ascending rows) as one array-like covering `rows` rows: typed when the chunks are. */
function joinChunks(chunks: { rowStart: number; values: ArrayLike<unknown> }[], groupStart: number, rows: number): ArrayLike<unknown> {
  if (chunks.length === 1 && chunks[0].rowStart === groupStart && chunks[0].values.length === rows) return chunks[0].values;
  const first = chunks[0].values;
  const Ctor = ArrayBuffer.isView(first) && chunks.every((c) => c.values.constructor === first.constructor) ? (first.constructor as new (n: number) => Typed) : null;
  if (Ctor) {
    // pages of a REQUIRED column arrive as typed arrays of one type: keep them typed (a plain array is slow and large)
    const out = new Ctor(rows);
    for (const { rowStart, values } of chunks) out.set((values as Typed).subarray(0, rows - (rowStart - groupStart)) as never, rowStart - groupStart);
    return out;
  }
  const out = new Array<unknown>(rows);
  for (const { rowStart, values } of chunks) {
    const at = rowStart - groupStart;
    for (let k = 0; k < values.length && at + k < rows; k++) out[at + k] = values[k];
  }
  return out;
}

/**
 * Reads the named columns row group by row group (memory holds one group's pages and values at a time) and
 * hands each group to `onGroup`. An error thrown by `onGroup` stops the read and is rethrown as is; a
 * decoding failure becomes one line naming the file. @internal
 */
export async function readRowGroups(opened: OpenedParquet, columns: readonly string[], onGroup: (group: RowGroupData) => void): Promise<void> {
  let groupStart = 0;
  for (const group of opened.metadata.row_groups) {
    const rows = Number(group.num_rows);
    const chunks = new Map(columns.map((c) => [c, [] as { rowStart: number; values: ArrayLike<unknown> }[]]));
    try {
      await parquetRead({
        file: opened.source.file,
        metadata: opened.metadata,
        columns: [...columns],
        rowStart: groupStart,
        rowEnd: groupStart + rows,
        onChunk({ columnName, columnData, rowStart }) {
          chunks.get(columnName)?.push({ rowStart, values: columnData });
        },
      });
    } catch (err) {
      throw damaged(opened.source.name, err);
    }
    const data = new Map<string, ArrayLike<unknown>>();
    for (const [name, list] of chunks) {
      list.sort((a, b) => a.rowStart - b.rowStart);
      const got = list.reduce((s, c) => s + c.values.length, 0);
      if (got < rows) throw new DataError(`column ${JSON.stringify(name)} holds ${got} values in a row group of ${rows} rows`, { file: opened.source.name });
      data.set(name, joinChunks(list, groupStart, rows));
    }
    onGroup({ groupStart, rows, columns: data });
    groupStart += rows;
  }
}
