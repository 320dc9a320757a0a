// The dense solver is a shared primitive of @collab-ts/core; eval re-exports it for compatibility.
export { choleskySolve } from '@collab-ts/core';
