/**
 * Base class of every error collab-ts raises on purpose; `exitCode` is what the CLI exits with. The rule:
 * 2 ({@link UsageError}) when the caller asked for something wrong (a bad flag or option, an unknown id they
 * typed, a path they named that does not exist or is not what was asked for); 1 when the content of a file
 * is bad or damaged ({@link DataError}) or the run itself failed ({@link DivergenceError}, a failed download).
 */
export class CollabError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong arguments or options, an unknown id the caller gave, or a named path that is missing (CLI exit code 2). */
export class UsageError extends CollabError {
  override readonly exitCode: number = 2;
}

/** Where in a file a problem was found. Lines and columns count from 1. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** Bad or damaged file content: names the file, and the line and column where they are known (CLI exit code 1). */
export class DataError extends CollabError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly reason: string;
  constructor(reason: string, where: SourceLocation) {
    const at = [where.file, where.line, where.column].filter((x) => x !== undefined).join(':');
    super(`${at}: ${reason}`);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.reason = reason;
  }
}

/**
 * A user or item id that the model or vocabulary has never seen. It is a {@link UsageError} (CLI exit code 2):
 * the id was given by the caller, the data itself is fine.
 */
export class UnknownIdError extends UsageError {
  readonly kind: 'user' | 'item';
  readonly id: string;
  constructor(kind: 'user' | 'item', id: string | number) {
    super(`unknown ${kind} id ${JSON.stringify(String(id))}: it is not in the training data`);
    this.kind = kind;
    this.id = String(id);
  }
}

/** Training stopped because the loss became NaN or infinite. */
export class DivergenceError extends CollabError {
  readonly step: number;
  constructor(message: string, step: number) {
    super(message);
    this.step = step;
  }
}
