import { preset } from '@collab-ts/tooling/tsup';

export default preset();
