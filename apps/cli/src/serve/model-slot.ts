import type { FactorTables, RatingColumns } from '@collab-ts/core';
import { userItemIndex } from '@collab-ts/eval';
import type { ModelBundle } from '@collab-ts/models';
import type { ServedAnn } from './ann/served-ann.js';

/** Each user's seen items, grouped by user (eval's `userItemIndex`). */
export type SeenIndex = { offsets: Int32Array; items: Int32Array };

/** A model as loaded from its directory, with the ratings whose items are hidden from its users (or null). */
export interface LoadedModel {
  bundle: ModelBundle;
  seen: RatingColumns | null;
  /** `seen` grouped by user, when the loader has built it already (else it is built from `seen`). */
  seenIndex?: SeenIndex | null;
  /** The approximate index that answers /recommend (`serve --ann`); the exact scan without it. */
  ann?: ServedAnn | null;
}

/**
 * Where weights hold NaN or infinity: one line per offending tensor (empty when all are finite). Reads the
 * model's parameter store when it has one, else its factor tables; checked once per load, not per request.
 */
export function nonFiniteWeights(model: ModelBundle['model']): string[] {
  const tensors: { name: string; data: ArrayLike<number> }[] = [];
  const store = (model as { params?: { list?: () => { name: string; data: ArrayLike<number> }[] } }).params;
  if (store && typeof store.list === 'function') tensors.push(...store.list());
  else {
    const f: FactorTables | null = model.factors();
    if (f) {
      tensors.push({ name: 'userFactors', data: f.userFactors }, { name: 'itemFactors', data: f.itemFactors });
      if (f.userBias) tensors.push({ name: 'userBias', data: f.userBias });
      if (f.itemBias) tensors.push({ name: 'itemBias', data: f.itemBias });
    }
  }
  const problems: string[] = [];
  for (const t of tensors) {
    let count = 0;
    let first = -1;
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) {
        if (first < 0) first = i;
        count++;
      }
    }
    if (count > 0) problems.push(`weights ${t.name}: ${count} non-finite value${count === 1 ? '' : 's'} (first at index ${first})`);
  }
  return problems;
}

/**
 * One loaded model as the server uses it: the bundle, its factor tables, the seen-items index and what the
 * load-time check found. Requests hold it through a lease ({@link ModelSlot.acquire}), so a reload never
 * changes the model under a request that has started; a replaced model is disposed when its last lease ends.
 */
export class ServedModel {
  readonly factors: FactorTables | null;
  /** Problems found at load (non-finite weights); /health reports `degraded` when there are any. */
  readonly problems: string[];
  readonly loadedAt = new Date();
  private readonly seenIndex: SeenIndex | null;
  private leases = 0;
  private retired = false;

  /** The approximate index answering /recommend, or null for the exact scan. */
  readonly ann: ServedAnn | null;

  constructor(
    readonly bundle: ModelBundle,
    seen: RatingColumns | null,
    /** 1 for the model the server started with, then one more per successful reload. */
    readonly generation: number,
    extra: Pick<LoadedModel, 'seenIndex' | 'ann'> = {},
  ) {
    this.factors = bundle.model.factors();
    this.seenIndex = extra.seenIndex ?? (seen ? userItemIndex(seen, bundle.users.size) : null);
    this.ann = extra.ann ?? null;
    this.problems = nonFiniteWeights(bundle.model);
  }

  get status(): 'ok' | 'degraded' {
    return this.problems.length ? 'degraded' : 'ok';
  }

  /** Items the user rated (to hide from their recommendations), when seen ratings were given. */
  seenBy(user: number): Int32Array | undefined {
    return this.seenIndex ? this.seenIndex.items.subarray(this.seenIndex.offsets[user], this.seenIndex.offsets[user + 1]) : undefined;
  }

  /** @internal */
  lease(): void {
    this.leases++;
  }

  /** @internal */
  unlease(): void {
    this.leases--;
    this.disposeIfIdle();
  }

  /** @internal: called by the slot when a newer model replaces this one. */
  retire(): void {
    this.retired = true;
    this.disposeIfIdle();
  }

  private disposeIfIdle(): void {
    if (this.retired && this.leases === 0) {
      this.retired = false; // once
      this.bundle.model.dispose();
    }
  }
}

/** What a reload did. */
export type ReloadResult =
  | { ok: true; generation: number; model: string; users: number; items: number; ms: number; problems: string[] }
  | { ok: false; generation: number; error: string; ms: number };

export interface ModelSlotOptions {
  /** Loads the model again (from its directory); without it, {@link ModelSlot.reload} fails with a reason. */
  load?: () => Promise<LoadedModel>;
  /** Told about every reload, successful or not. */
  onReload?: (result: ReloadResult) => void;
}

/**
 * The model a server answers with, replaceable while it runs. `reload()` loads the new model completely
 * before swapping it in with one assignment; a load that throws, or a model with non-finite weights replacing
 * a sound one, leaves the current model in place. Reloads never overlap: one asked for while another runs
 * starts when it ends (several such requests share that one).
 */
export class ModelSlot {
  private served: ServedModel;
  private running: Promise<ReloadResult> | null = null;
  private queued: Promise<ReloadResult> | null = null;

  constructor(
    initial: LoadedModel,
    private readonly options: ModelSlotOptions = {},
  ) {
    this.served = new ServedModel(initial.bundle, initial.seen, 1, initial);
  }

  /** The model new requests get. */
  get current(): ServedModel {
    return this.served;
  }

  /** Whether {@link reload} has somewhere to load from. */
  get reloadable(): boolean {
    return this.options.load !== undefined;
  }

  /** The current model, held until {@link release}: a reload meanwhile does not dispose it. */
  acquire(): ServedModel {
    const m = this.served;
    m.lease();
    return m;
  }

  release(m: ServedModel): void {
    m.unlease();
  }

  /** Loads the model again and swaps it in, or keeps the current one and says why. Never throws. */
  reload(): Promise<ReloadResult> {
    if (this.queued) return this.queued;
    if (this.running) {
      this.queued = this.running.then(() => {
        this.queued = null;
        return this.start();
      });
      return this.queued;
    }
    return this.start();
  }

  private start(): Promise<ReloadResult> {
    const run = this.swap().then((result) => {
      this.running = null;
      this.options.onReload?.(result);
      return result;
    });
    this.running = run;
    return run;
  }

  private async swap(): Promise<ReloadResult> {
    const t0 = performance.now();
    const old = this.served;
    const ms = (): number => Math.round((performance.now() - t0) * 10) / 10;
    if (!this.options.load) return { ok: false, generation: old.generation, error: 'this server was given a model, not a directory to reload it from', ms: ms() };
    let next: ServedModel;
    try {
      const loaded = await this.options.load();
      next = new ServedModel(loaded.bundle, loaded.seen, old.generation + 1, loaded);
    } catch (err) {
      return { ok: false, generation: old.generation, error: err instanceof Error ? err.message : String(err), ms: ms() };
    }
    if (next.problems.length && !old.problems.length) {
      next.bundle.model.dispose();
      return { ok: false, generation: old.generation, error: `the new model has non-finite weights (${next.problems.join('; ')})`, ms: ms() };
    }
    this.served = next;
    old.retire();
    const { bundle } = next;
    return { ok: true, generation: next.generation, model: bundle.model.kind, users: bundle.users.size, items: bundle.items.size, ms: ms(), problems: next.problems };
  }
}
