import { DataError } from '@collab-ts/core';

/** Text encodings the readers understand. `latin1` is decoded as windows-1252, as browsers and Node do. */
export type TextEncoding = 'utf-8' | 'latin1';

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** Decodes bytes[s, e) (the caller has validated UTF-8 already). @internal */
export function decodeBytes(buf: Uint8Array, s: number, e: number, encoding: TextEncoding): string {
  if (e - s < 48) {
    // short ASCII fields (ids) are far cheaper to build by hand than through TextDecoder
    let ascii = true;
    for (let i = s; i < e; i++) if (buf[i] >= 128) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, buf.subarray(s, e) as unknown as number[]);
  }
  return (encoding === 'latin1' ? latin1 : utf8).decode(buf.subarray(s, e));
}

/**
 * Finds the first UTF-8 problem in bytes[s, e): an invalid sequence, or a U+FFFD replacement character (the
 * mark a lossy conversion leaves behind). Returns the offset of the problem and why, or null when clean.
 * @internal
 */
export function utf8Problem(buf: Uint8Array, s: number, e: number): { offset: number; reason: string } | null {
  let i = s;
  while (i < e) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return { offset: i, reason: `invalid UTF-8 byte 0x${b.toString(16)} (is the file latin-1?)` };
    if (i + need >= e) return { offset: i, reason: 'truncated UTF-8 sequence' };
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if ((c & 0xc0) !== 0x80) return { offset: i, reason: `invalid UTF-8 sequence at byte 0x${b.toString(16)} (is the file latin-1?)` };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { offset: i, reason: 'invalid UTF-8 sequence' };
    if (cp === 0xfffd) {
      return { offset: i, reason: 'U+FFFD replacement character in a UTF-8 file: the text was damaged by a lossy re-encoding' };
    }
    i += need + 1;
  }
  return null;
}

/** 1-based character column of byte `offset` in a UTF-8 line starting at `lineStart`. @internal */
export function charColumn(buf: Uint8Array, lineStart: number, offset: number): number {
  let col = 1;
  for (let i = lineStart; i < offset; i++) if ((buf[i] & 0xc0) !== 0x80) col++;
  return col;
}

/** Line and column (1-based) of byte `offset` in a whole buffer. @internal */
export function lineColumnAt(buf: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: charColumn(buf, start, offset) };
}

/**
 * Decodes a whole text file, rejecting NUL bytes (binary data) and, for UTF-8, invalid sequences and
 * replacement characters, with a {@link DataError} at the exact line and column. Strips a UTF-8 BOM.
 * @internal
 */
export function decodeText(buf: Uint8Array, file: string, encoding: TextEncoding): string {
  const nul = buf.indexOf(0);
  if (nul >= 0) throw new DataError('NUL byte: this looks like a binary file, not text', { file, ...lineColumnAt(buf, nul) });
  let s = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) s = 3;
  if (encoding === 'utf-8') {
    const p = utf8Problem(buf, s, buf.length);
    if (p) throw new DataError(p.reason, { file, ...lineColumnAt(buf, p.offset) });
    return utf8.decode(buf.subarray(s));
  }
  return latin1.decode(buf.subarray(s));
}

/** Whether `buf` is valid UTF-8 (used to guess the encoding of MovieLens `movies.dat`). @internal */
export function isValidUtf8(buf: Uint8Array): boolean {
  return utf8Problem(buf, 0, buf.length) === null;
}

/**
 * Splits one line of delimited text into fields, honouring double quotes (`"a, b"`, `""` for a quote).
 * Returns the fields and the 1-based column where each starts.
 * @internal
 */
export function splitLine(text: string, delimiter: string): { fields: string[]; columns: number[] } {
  const fields: string[] = [];
  const columns: number[] = [];
  const dl = delimiter.length;
  let i = 0;
  const n = text.length;
  while (true) {
    columns.push(i + 1);
    if (text.charCodeAt(i) === 34) {
      let v = '';
      i++;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 34) {
          if (text.charCodeAt(i + 1) === 34) {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += text[i];
        i++;
      }
      // anything between the closing quote and the delimiter is kept, as lenient parsers do
      const next = text.indexOf(delimiter, i);
      const end = next < 0 ? n : next;
      v += text.slice(i, end);
      fields.push(v);
      if (next < 0) break;
      i = next + dl;
    } else {
      const next = text.indexOf(delimiter, i);
      if (next < 0) {
        fields.push(text.slice(i));
        break;
      }
      fields.push(text.slice(i, next));
      i = next + dl;
    }
  }
  return { fields, columns };
}
