import { preset } from '@collab-ts/tooling/tsup';

export default preset({ entry: ['src/index.ts', 'src/node.ts'] });
