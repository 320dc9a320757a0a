import { createWriteStream, openSync } from 'node:fs';
import { once } from 'node:events';

/** A JSON-lines log: `write` takes one record; `close` flushes and closes the file (not stdout). */
export interface JsonLog {
  write(record: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * A JSON-lines log on stdout (`-`) or appended to a file. Each record gets `time` (ISO 8601) first. Access
 * records carry `method`, `url`, `status` and `ms`; server events (`listening`, `reload`, `close`) carry
 * `event`. Nothing from the request headers is written, so the bearer token never reaches the log. Throws
 * when the file cannot be opened.
 */
export function openJsonLog(target: string): JsonLog {
  if (target === '-') {
    return {
      write: (record) => void process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`),
      close: async () => undefined,
    };
  }
  const fd = openSync(target, 'a'); // fails here, with the reason, when the file cannot be opened
  const stream = createWriteStream('', { fd });
  let failed = false;
  stream.on('error', (err) => {
    if (!failed) process.stderr.write(`access log ${target}: ${err.message}; no further records are written\n`);
    failed = true;
  });
  return {
    write: (record) => {
      if (!failed) stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
    },
    close: async () => {
      if (stream.closed) return;
      stream.end();
      await once(stream, 'close');
    },
  };
}
