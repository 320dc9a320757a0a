// The values of rating and timestamp fields: the byte fast paths the CSV kernel (scan.ts) parses in place, and
// the strict text rules it and the Parquet reader fall back to.

/** Exact powers of ten for the decimal fast path (10^k is exact in a double up to k = 22). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Parses a plain decimal (`-12`, `3.5`, `881250949`, at most 15 digits) from bytes[s, e) without building a
 * string; NaN for anything else (the caller then applies the strict text rules). The digits form one exact
 * integer and a single division scales it, so the result is correctly rounded: the same double as `Number()`.
 * @internal
 */
export function parseDecimal(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  const b0 = buf[i];
  if (b0 === 45) {
    neg = true;
    i++;
  } else if (b0 === 43) i++;
  let v = 0;
  let digits = 0;
  while (i < e) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    i++;
    digits++;
  }
  let scale = 0;
  if (i < e && buf[i] === 46) {
    i++;
    const from = i;
    while (i < e) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      i++;
    }
    scale = i - from;
    digits += scale;
  }
  if (i !== e || digits === 0 || digits > 15) return NaN;
  if (scale > 0) v /= POW10[scale];
  return neg ? -v : v;
}

/** A canonical non-negative integer (no leading zero) in bytes[s, e), else -1. @internal */
export function parseId(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 0 || n > 15 || (n > 1 && buf[s] === 48)) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * A number written in decimal: optional sign, digits with an optional decimal point, optional exponent
 * (`4`, `-2.5`, `.5`, `3.`, `1e3`). Hexadecimal (`0x10`), `Infinity`, `NaN` and anything else: NaN.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** An ISO 8601 date or date-time (`2005-04-02`, `2005-04-02 23:53:46`, `2005-04-02T23:53:46Z`). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The value of a rating (role 2) or timestamp (role 3) field (already trimmed of blanks) that the byte
 * fast path did not take, or a reason why it is not one. Ratings must be decimal and finite as 32-bit
 * floats; timestamps decimal and finite, or ISO 8601 dates (seconds since the epoch). `Date.parse` alone
 * is far too lenient (it reads `5.5.5` or `1 2` as dates), and `Number` reads `0x10` as 16. Also used for
 * text timestamps in Parquet files. @internal
 */
export function textNumber(t: string, role: number): number | string {
  if (DECIMAL.test(t)) {
    const v = Number(t);
    if (role === 2 ? !Number.isFinite(Math.fround(v)) : !Number.isFinite(v)) {
      return role === 2 ? 'is out of range: not finite as a 32-bit float (largest 3.4e38)' : 'is out of range: not finite';
    }
    return v;
  }
  if (role === 3 && ISO_DATE.test(t)) {
    const d = Date.parse(t);
    if (Number.isFinite(d)) return d / 1000;
    return 'is not a valid date';
  }
  if (/^[+-]?0[xXoObB]/.test(t)) return 'is not a number (write numbers in decimal: hexadecimal, octal and binary are not read)';
  return role === 3 ? 'is not a number (nor an ISO 8601 date)' : 'is not a number';
}
