import { UsageError } from '../errors.js';
import { gemmJs } from './gemm-js.js';
import { instantiateKernel } from './kernel-module.js';
import type { KernelExports } from './kernel-module.js';
import { gemmShape } from './matrix.js';
import type { GemmOptions, Matrix } from './matrix.js';

const PAGE = 65536;
const ALIGN = 64;
/** Bytes 0 .. BASE stay unused: pointer 0 means "no bias" to the kernel. */
const BASE = 64;
const MAX_BYTES = 2 ** 31;

const align = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

/**
 * A matrix living in a {@link GemmArena}'s memory: products on it need no copy. Read `data` again after
 * anything that may grow the arena (allocating, or a product with operands from outside): growing the
 * WebAssembly memory detaches the old views, and `data` hands out a fresh one.
 */
export class ArenaMatrix implements Matrix {
  readonly rows: number;
  readonly cols: number;
  private readonly arena: GemmArena;
  private readonly generation: number;
  private readonly byteOffset: number;
  private view: Float32Array;

  /** @internal use {@link GemmArena.matrix} */
  constructor(arena: GemmArena, rows: number, cols: number, byteOffset: number, view: Float32Array, generation: number) {
    this.arena = arena;
    this.rows = rows;
    this.cols = cols;
    this.byteOffset = byteOffset;
    this.view = view;
    this.generation = generation;
  }

  /** The values, row-major (a view into the arena; valid until the arena grows or is reset). */
  get data(): Float32Array {
    if (this.generation !== this.arena.generation) throw new UsageError('ArenaMatrix used after its GemmArena was reset');
    // a detached view reads length 0
    if (this.view.length !== this.rows * this.cols) this.view = this.arena.viewAt(this.byteOffset, this.rows * this.cols);
    return this.view;
  }
}

/**
 * Memory for matrix products: one WebAssembly instance of the SIMD kernel with its own linear memory, a bump
 * allocator of resident matrices on it, and `gemm`. Operands that live in the arena (from {@link matrix}, or
 * any Float32Array view of its memory) are used in place; others are copied in (and C back out) for the call.
 * Without WebAssembly SIMD the arena hands out plain arrays and runs the JS fallback (same API).
 *
 * @example
 * const arena = GemmArena.create();
 * const x = arena.matrix(64, 177); // resident: fill x.data in place
 * const w = { data: weights, rows: 100, cols: 177 }; // copied in per call
 * const z = arena.matrix(64, 100);
 * arena.gemm(x, w, z, { transB: true, colBias: bias }); // z = x wᵀ + bias
 */
export class GemmArena {
  /** Bumped by {@link reset}; matrices of an older generation refuse to be used. */
  generation = 0;
  private readonly kernel: KernelExports | null;
  private top = BASE;

  private constructor(kernel: KernelExports | null) {
    this.kernel = kernel;
  }

  /**
   * A new arena. `wasm: false` forces the JS fallback (for comparisons); by default the SIMD kernel is used
   * wherever `WebAssembly.validate` accepts it.
   */
  static create(options: { wasm?: boolean } = {}): GemmArena {
    return new GemmArena(options.wasm === false ? null : instantiateKernel());
  }

  /** Whether products run on the WebAssembly SIMD kernel (else the JS fallback). */
  get usesWasm(): boolean {
    return this.kernel !== null;
  }

  /**
   * The kernel's linear memory, where resident matrices live (`null` for the JS fallback): for other
   * WebAssembly kernels that import it to work on the same matrices.
   */
  get memory(): WebAssembly.Memory | null {
    return this.kernel ? this.kernel.memory : null;
  }

  /** Bytes of linear memory held (0 for the JS fallback). */
  get byteLength(): number {
    return this.kernel ? this.kernel.memory.buffer.byteLength : 0;
  }

  /** A zero-filled rows x cols matrix resident in the arena, valid until {@link reset}. */
  matrix(rows: number, cols: number): ArenaMatrix {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new UsageError(`GemmArena.matrix: shape ${rows}x${cols}; expected non-negative integers`);
    }
    const size = rows * cols;
    if (!this.kernel) return new ArenaMatrix(this, rows, cols, 0, new Float32Array(size), this.generation);
    const at = align(this.top);
    this.reserve(at + size * 4);
    this.top = at + size * 4;
    const view = this.viewAt(at, size);
    view.fill(0);
    return new ArenaMatrix(this, rows, cols, at, view, this.generation);
  }

  /** Frees every matrix of the arena at once (they throw if used afterwards); the memory is kept for reuse. */
  reset(): void {
    this.top = BASE;
    this.generation++;
  }

  /** Whether `x` is a view of this arena's memory (used in place by {@link gemm}). */
  isResident(x: Float32Array): boolean {
    return this.kernel !== null && x.buffer === this.kernel.memory.buffer;
  }

  /** @internal a fresh view of `length` floats at `byteOffset` */
  viewAt(byteOffset: number, length: number): Float32Array {
    return new Float32Array(this.kernel!.memory.buffer, byteOffset, length);
  }

  /** Grows the memory (at least doubling) so that bytes below `end` exist; detaches every view. */
  private reserve(end: number): void {
    const memory = this.kernel!.memory;
    const have = memory.buffer.byteLength;
    if (end <= have) return;
    if (end > MAX_BYTES) throw new UsageError(`GemmArena: ${end} bytes needed, more than the ${MAX_BYTES} a 32-bit arena can address`);
    const want = Math.min(MAX_BYTES, Math.max(end, 2 * have));
    memory.grow(Math.ceil((want - have) / PAGE));
  }

  /**
   * `C = alpha * op(A) * op(B) + rowBias[i] + colBias[j] + beta * C`, row-major. C must not overlap A or B.
   * Resident operands are used in place; the others are copied in for the call (C copied back).
   */
  gemm(a: Matrix, b: Matrix, c: Matrix, options: GemmOptions = {}): void {
    const s = gemmShape(a, b, c, options);
    const { m, n, k } = s;
    if (m === 0 || n === 0) return;
    const kernel = this.kernel;
    if (!kernel || k === 0) {
      gemmJs(s, a.data, b.data, c.data, options);
      return;
    }
    const exact = options.accumulate === 'f64';
    const beta = options.beta ?? 0;
    const rb = options.rowBias ?? null;
    const cb = options.colBias ?? null;
    const buffer = kernel.memory.buffer;
    // resident operands first: their offsets stay valid when the temporaries below grow the memory (a bias
    // view at offset 0 of the memory is copied: pointer 0 means "no bias" to the kernel)
    const here = (x: Float32Array | null, bias: boolean) => x !== null && x.buffer === buffer && (!bias || x.byteOffset >= BASE);
    const inA = here(a.data, false);
    const inB = here(b.data, false);
    const inC = here(c.data, false);
    const inRb = rb === null || here(rb, true);
    const inCb = cb === null || here(cb, true);
    let end = this.top;
    const place = (floats: number): number => {
      const at = align(end);
      end = at + floats * 4;
      return at;
    };
    const pa = inA ? a.data.byteOffset : place(m * k);
    const pb = inB ? b.data.byteOffset : place(k * n);
    const pc = inC ? c.data.byteOffset : place(m * n);
    const prb = rb === null ? 0 : inRb ? rb.byteOffset : place(m);
    const pcb = cb === null ? 0 : inCb ? cb.byteOffset : place(n);
    const work = align(end);
    this.reserve(work + (exact ? kernel.dsgemm_work(n, k) : kernel.sgemm_work(n, k, s.transB ? 1 : 0)));
    if (!inA) this.viewAt(pa, m * k).set(a.data.subarray(0, m * k));
    if (!inB) this.viewAt(pb, k * n).set(b.data.subarray(0, k * n));
    // C is read only when beta is not 0
    if (!inC && beta !== 0) this.viewAt(pc, m * n).set(c.data.subarray(0, m * n));
    if (!inRb) this.viewAt(prb, m).set(rb!.subarray(0, m));
    if (!inCb) this.viewAt(pcb, n).set(cb!.subarray(0, n));
    const flags = (s.transA ? 1 : 0) | (s.transB ? 2 : 0);
    const lda = s.transA ? m : k;
    const ldb = s.transB ? k : n;
    const run = exact ? kernel.dsgemm : kernel.sgemm;
    run(flags, m, n, k, options.alpha ?? 1, pa, lda, pb, ldb, beta, pc, n, prb, pcb, work);
    if (!inC) c.data.set(this.viewAt(pc, m * n));
  }
}
