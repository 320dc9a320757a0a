import { takeRows, type RatingColumns, type Split } from '@collab-ts/core';

/** A split from a row mask (1: validation), both sides keeping the source order of rows. @internal */
export function splitByMask(r: RatingColumns, isValid: Uint8Array, name: string): Split {
  let nValid = 0;
  for (let i = 0; i < isValid.length; i++) nValid += isValid[i];
  const train = new Int32Array(isValid.length - nValid);
  const valid = new Int32Array(nValid);
  let a = 0;
  let b = 0;
  for (let i = 0; i < isValid.length; i++) {
    if (isValid[i]) valid[b++] = i;
    else train[a++] = i;
  }
  return { name, train: takeRows(r, train), valid: takeRows(r, valid) };
}
