import { preset } from '@collab-ts/tooling/vitest';

export default preset();
