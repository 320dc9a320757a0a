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

/** Values of one column for rows [rowStart, rowStart + values.length) of a file. @internal */
export type ColumnChunkHandler = (column: string, values: ArrayLike<unknown>, rowStart: number) => void;

/**
 * Reads the named columns row group by row group (so memory holds one group's pages at a time), handing
 * each decoded chunk to `onChunk`. An error thrown by `onChunk` stops the read and is rethrown as is; a
 * decoding failure becomes one line naming the file. @internal
 */
export async function readColumns(opened: OpenedParquet, columns: readonly string[], onChunk: ColumnChunkHandler): Promise<void> {
  let failure: unknown = null;
  let groupStart = 0;
  for (const group of opened.metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    try {
      await parquetRead({
        file: opened.source.file,
        metadata: opened.metadata,
        columns: [...columns],
        rowStart: groupStart,
        rowEnd: groupEnd,
        onChunk({ columnName, columnData, rowStart }) {
          // the library drops errors thrown here: keep the first and rethrow it after the read
          if (failure !== null) return;
          try {
            onChunk(columnName, columnData, rowStart);
          } catch (err) {
            failure = err;
          }
        },
      });
    } catch (err) {
      throw damaged(opened.source.name, err);
    }
    if (failure !== null) throw failure;
    groupStart = groupEnd;
  }
}
