/**
 * Node-only parts of `@collab-ts/train` (file system): per-epoch checkpoints in a directory.
 * @packageDocumentation
 */
export { fileCheckpointer, saveCheckpoint, loadCheckpoint, differingOptions } from './checkpoint.js';
export type { CheckpointerOptions } from './checkpoint.js';
