import { UsageError } from '@collab-ts/core';
import type { Gradient } from '@collab-ts/core';
import type { ParamSlot } from './param-slot.js';

/**
 * Validates one gradient against its parameter before any parameter changes: size of a dense gradient;
 * for a sparse one, that the parameter is an embedding table, that `count` fits the buffers, and that rows
 * are in range and distinct. Duplicates are found with a per-row stamp (`slot.seen`), so a check costs the
 * rows in the gradient, not the table size.
 * @param stamp a value never used before for this slot (the optimizer's call counter)
 * @throws UsageError naming the parameter and what is wrong
 */
export function checkGradient(s: ParamSlot | undefined, name: string, g: Gradient, stamp: number): void {
  if (!s) throw new UsageError(`gradient for unknown parameter ${JSON.stringify(name)}`);
  if (g.kind === 'dense') {
    if (g.values.length !== s.param.data.length) {
      throw new UsageError(`dense gradient for ${name} has ${g.values.length} values, parameter has ${s.param.data.length}`);
    }
    return;
  }
  if (g.kind !== 'sparse') throw new UsageError(`gradient for ${name} has unknown kind ${String((g as { kind: unknown }).kind)}`);
  if (!s.embedding) throw new UsageError(`sparse gradient for ${name}, which is not an embedding parameter`);
  const { rows, count } = g;
  if (!Number.isInteger(count) || count < 0 || count > rows.length || count * s.unitSize > g.values.length) {
    throw new UsageError(`sparse gradient for ${name}: count ${count} does not fit its rows/values buffers`);
  }
  const seen = s.seen!;
  for (let k = 0; k < count; k++) {
    const r = rows[k];
    if (r < 0 || r >= s.units) throw new UsageError(`sparse gradient for ${name}: row ${r} out of range [0, ${s.units})`);
    if (seen[r] === stamp) throw new UsageError(`sparse gradient for ${name}: row ${r} appears twice (sum duplicates first)`);
    seen[r] = stamp;
  }
}
