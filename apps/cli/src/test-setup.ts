import { beforeEach } from 'vitest';

// Give the event loop a turn before every test. A test file whose tests block it (synchronous child
// processes) would otherwise hold vitest's worker RPC for its whole length, and on a loaded machine that
// exceeds the RPC's 60-second timeout and fails the run ("Timeout calling onTaskUpdate") though every test
// passed.
beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
