import { allocateFloat32, heapFloat32 } from './allocator.js';
import type { Float32Allocator } from './allocator.js';
/**
 * How a parameter's gradient arrives: `embedding` tables get sparse row gradients (only the rows a batch
 * touched), `dense` parameters (MLP weights, batch-norm scales) get a full gradient every step.
 */
export type ParamKind = 'embedding' | 'dense';

/** One named parameter: a row-major `Float32Array` with a shape. Embedding tables are `[rows, dim]`. */
export interface Param {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
  readonly kind: ParamKind;
  /** Whether weight decay applies to it (fastai decays embeddings and biases; not batch-norm parameters). */
  readonly decay: boolean;
}

/** Options for {@link ParamStore.add}. */
export interface AddParamOptions {
  kind?: ParamKind;
  decay?: boolean;
}

/** Number of floats in one row of a parameter (the product of all but the first dimension). */
export function rowSize(p: Pick<Param, 'shape'>): number {
  let s = 1;
  for (let i = 1; i < p.shape.length; i++) s *= p.shape[i];
  return s;
}

/** Total number of floats in a shape. */
export function shapeSize(shape: readonly number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

/** Options of a {@link ParamStore}. */
export interface ParamStoreOptions {
  /**
   * Allocates the tables of parameters added without data, of clones, and (by default) of the optimizer
   * state kept for them; `sharedFloat32` puts them in shared memory for worker threads. Default: the heap.
   */
  allocate?: Float32Allocator;
}

/** An ordered set of named parameters; models own one, optimizers update it, save/load serialises it. */
export class ParamStore {
  private readonly byName = new Map<string, Param>();
  /** Where this store's tables (and by default its optimizer's state) are allocated. */
  readonly allocate: Float32Allocator;

  constructor(opts: ParamStoreOptions = {}) {
    this.allocate = opts.allocate ?? heapFloat32;
  }

  /** A zero-filled table of `length` floats from this store's allocator (to fill and pass to {@link ParamStore.add}). */
  table(length: number): Float32Array {
    return allocateFloat32(this.allocate, length);
  }

  /** Adds a parameter; `data` defaults to zeros of the shape, from the store's allocator. */
  add(name: string, shape: readonly number[], data?: Float32Array, opts: AddParamOptions = {}): Param {
    if (this.byName.has(name)) throw new Error(`parameter ${name} already exists`);
    const size = shapeSize(shape);
    const values = data ?? this.table(size);
    if (values.length !== size) {
      throw new Error(`parameter ${name}: ${values.length} values for shape [${shape.join(', ')}]`);
    }
    const p: Param = { name, shape: [...shape], data: values, kind: opts.kind ?? 'dense', decay: opts.decay ?? true };
    this.byName.set(name, p);
    return p;
  }

  /** The parameter called `name`; throws if there is none. */
  get(name: string): Param {
    const p = this.byName.get(name);
    if (!p) throw new Error(`no parameter named ${name}`);
    return p;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** All parameters in insertion order. */
  list(): Param[] {
    return [...this.byName.values()];
  }

  /** Total number of floats over all parameters. */
  size(): number {
    let n = 0;
    for (const p of this.byName.values()) n += p.data.length;
    return n;
  }

  /** A deep copy (same names, shapes, kinds and allocator; copied data). */
  clone(): ParamStore {
    const out = new ParamStore({ allocate: this.allocate });
    for (const p of this.byName.values()) {
      const copy = out.table(p.data.length);
      copy.set(p.data);
      out.add(p.name, p.shape, copy, { kind: p.kind, decay: p.decay });
    }
    return out;
  }

  /** Copies every parameter's values from a store with the same names and shapes. */
  copyFrom(other: ParamStore): void {
    for (const p of this.byName.values()) {
      const q = other.get(p.name);
      if (q.data.length !== p.data.length) throw new Error(`parameter ${p.name}: size mismatch`);
      p.data.set(q.data);
    }
  }
}

/**
 * A sparse row gradient: the first `count` entries of `rows` are distinct row indices, and
 * `values[k * rowSize .. (k + 1) * rowSize)` is the summed gradient of row `rows[k]`.
 */
export interface SparseRowGrad {
  readonly kind: 'sparse';
  readonly rows: Int32Array;
  readonly values: Float32Array;
  readonly count: number;
}

/** A dense gradient with the parameter's full size. */
export interface DenseGrad {
  readonly kind: 'dense';
  readonly values: Float32Array;
}

export type Gradient = SparseRowGrad | DenseGrad;

/** Gradients by parameter name, as a model's backward pass returns them. */
export type Gradients = Map<string, Gradient>;
