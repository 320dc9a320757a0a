/** A `.wat` import is the compiled WebAssembly module as base64 (@collab-ts/tooling/wat, at build time). */
declare module '*.wat' {
  const base64: string;
  export default base64;
}
