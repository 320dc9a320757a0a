import { UsageError } from '../errors.js';
import { gemmJs } from './gemm-js.js';
import { instantiateKernel, kernelModule } from './kernel-module.js';
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
 * anything that may grow the arena (allocating, or a product with operands from outside): growth moves the
 * arena to a larger memory, and `data` hands out a view of the new one.
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
    const buffer = this.arena.buffer;
    if (buffer !== null && this.view.buffer !== buffer) this.view = this.arena.viewAt(this.byteOffset, this.rows * this.cols);
    return this.view;
  }
}

/**
 * Memory for matrix products: a WebAssembly memory, the SIMD kernel instantiated on it, a bump allocator of
 * resident matrices, and `gemm`. Operands that live in the arena (from {@link matrix}, or any Float32Array view
 * of its memory) are used in place; others are copied in (and C back out) for the call. Without WebAssembly
 * SIMD the arena hands out plain arrays and runs the JS fallback (same API).
 *
 * When it needs more room the arena moves to a new, larger memory (copying what it holds) rather than calling
 * `memory.grow`, which detaches the old buffer: in V8 the first detached ArrayBuffer of a process makes every
 * typed-array loop in it check for detachment from then on (up to 40% slower loops here). Pass `bytes` to
 * size it once.
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
  /** @internal the current memory's buffer (`null` for the JS fallback) */
  buffer: ArrayBuffer | null = null;
  private readonly module: WebAssembly.Module | null;
  private mem: WebAssembly.Memory | null = null;
  private kernel: KernelExports | null = null;
  private top = BASE;

  private constructor(module: WebAssembly.Module | null, bytes: number) {
    this.module = module;
    if (module) this.moveTo(bytes);
  }

  /**
   * A new arena of at least `bytes` bytes (default 1 MiB; it grows on demand). `wasm: false` forces the JS
   * fallback (for comparisons); by default the SIMD kernel is used wherever `WebAssembly.validate` accepts it.
   */
  static create(options: { wasm?: boolean; bytes?: number } = {}): GemmArena {
    return new GemmArena(options.wasm === false ? null : kernelModule(), options.bytes ?? 2 ** 20);
  }

  /** Whether products run on the WebAssembly SIMD kernel (else the JS fallback). */
  get usesWasm(): boolean {
    return this.kernel !== null;
  }

  /**
   * The current WebAssembly memory, where resident matrices live (`null` for the JS fallback): for other
   * WebAssembly kernels that import it to work on the same matrices. It changes when the arena grows.
   */
  get memory(): WebAssembly.Memory | null {
    return this.mem;
  }

  /** Bytes of linear memory held (0 for the JS fallback). */
  get byteLength(): number {
    return this.buffer ? this.buffer.byteLength : 0;
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

  /** Whether `x` is a view of this arena's current memory (used in place by {@link gemm}). */
  isResident(x: Float32Array): boolean {
    return this.buffer !== null && x.buffer === this.buffer;
  }

  /** @internal a fresh view of `length` floats at `byteOffset` */
  viewAt(byteOffset: number, length: number): Float32Array {
    return new Float32Array(this.buffer!, byteOffset, length);
  }

  /** Makes bytes below `end` exist, moving to a memory at least twice as large when they do not. */
  private reserve(end: number): void {
    const have = this.buffer!.byteLength;
    if (end <= have) return;
    if (end > MAX_BYTES) throw new UsageError(`GemmArena: ${end} bytes needed, more than the ${MAX_BYTES} a 32-bit arena can address`);
    this.moveTo(Math.min(MAX_BYTES, Math.max(end, 2 * have)));
  }

  /** A new memory of at least `bytes` holding the allocated bytes of the old one, and the kernel on it. */
  private moveTo(bytes: number): void {
    const next = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
    if (this.buffer) new Uint8Array(next.buffer).set(new Uint8Array(this.buffer, 0, this.top));
    this.mem = next;
    this.buffer = next.buffer;
    this.kernel = instantiateKernel(this.module!, next);
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
    const buffer = this.buffer;
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
    // (the memory may have moved: take the kernel bound to the current one)
    const moved = this.buffer !== buffer;
    const run = exact ? this.kernel!.dsgemm : this.kernel!.sgemm;
    run(flags, m, n, k, options.alpha ?? 1, pa, lda, pb, ldb, beta, pc, n, prb, pcb, work);
    // C back to the caller: from the temporary, or, when the arena moved during the call, into the caller's
    // view of the old memory (an ArenaMatrix's `data` already shows the new one)
    if (!inC || (moved && c.data.buffer !== this.buffer)) c.data.set(this.viewAt(pc, m * n));
  }
}
