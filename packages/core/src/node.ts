/**
 * Node-only helpers (file system). Import from `@collab-ts/core/node`; the main entry stays browser-safe.
 * @packageDocumentation
 */
export { writeFileAtomic, writeFilesAtomic, lockFolder, writeError, crashPoint, checkWritable, LOCK_FILE } from './atomic-write.js';
export { dataDirFromEnv, DATA_DIR_ENV } from './data-dir.js';
export { WorkerPool, withWorkerPool, defaultThreads } from './pool/worker-pool.js';
export type { WorkerPoolOptions } from './pool/worker-pool.js';
export { registerErrorClass } from './pool/error-transfer.js';
