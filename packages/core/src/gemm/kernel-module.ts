import kernelBase64 from './kernel.wat';

/** The exports of the compiled kernel (kernel.wat); pointers are byte offsets into the memory it imports. */
export interface KernelExports {
  sgemm(
    flags: number, m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number,
    beta: number, c: number, ldc: number, rowBias: number, colBias: number, work: number,
  ): void;
  dsgemm(
    flags: number, m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number,
    beta: number, c: number, ldc: number, rowBias: number, colBias: number, work: number,
  ): void;
  sgemm_work(n: number, k: number, transB: number): number;
  dsgemm_work(n: number, k: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * The kernel module, compiled once; `null` where WebAssembly is missing, the engine rejects SIMD
 * (`WebAssembly.validate` fails), or synchronous compilation is refused (a browser's main thread may refuse
 * large modules; this one is under 4 KiB). Callers then take the JS fallback.
 */
export function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly === 'object') {
      const bytes = decodeBase64(kernelBase64);
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

/** An instance of the kernel working on `memory` (the module is compiled once). */
export function instantiateKernel(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}
