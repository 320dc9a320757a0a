/**
 * The program every pool worker runs, as source text (started with `eval: true`, so there is no script file
 * to locate next to the bundle; it works the same from `src`, the ESM build and the CJS build). It imports a
 * task module on first use, calls `tasks[name](input)` and posts the result, or the error as a
 * `PostedError` (class name, ancestor names, message, stack, own fields).
 */
export const WORKER_SCRIPT = `
'use strict';
// getBuiltinModule rather than require: the script may run as ESM when the parent has --input-type=module
const { parentPort } = process.getBuiltinModule('node:worker_threads');
const modules = new Map();
function postedError(e) {
  if (!(e instanceof Error)) return { name: 'Error', chain: [], message: String(e), stack: undefined, props: {} };
  const chain = [];
  for (let p = Object.getPrototypeOf(e); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (p.constructor && p.constructor.name) chain.push(p.constructor.name);
  }
  const props = {};
  for (const k of Object.keys(e)) {
    try { props[k] = structuredClone(e[k]); } catch { /* a field that cannot cross threads stays behind */ }
  }
  return { name: e.name, chain, message: e.message, stack: e.stack, props };
}
parentPort.on('message', async (msg) => {
  try {
    let loading = modules.get(msg.module);
    if (!loading) {
      loading = import(msg.module);
      modules.set(msg.module, loading);
    }
    const mod = await loading;
    // a warm-up message (WorkerPool.prepare): the module is loaded, nothing to run
    if (msg.task === null) {
      parentPort.postMessage({ id: msg.id, ok: true, out: undefined });
      return;
    }
    const fn = mod.tasks && mod.tasks[msg.task];
    if (typeof fn !== 'function') throw new Error('worker module ' + msg.module + ' exports no task ' + JSON.stringify(msg.task) + ' in its tasks table');
    const out = await fn(msg.input);
    parentPort.postMessage({ id: msg.id, ok: true, out });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: postedError(e) });
  }
});
`;
