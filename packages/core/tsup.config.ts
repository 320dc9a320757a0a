import { preset } from '@collab-ts/tooling/tsup';
import { watEsbuildPlugin } from '@collab-ts/tooling/wat';

// the GEMM kernel's WAT source is compiled at build time and inlined as base64 (@collab-ts/tooling/wat)
export default preset({ entry: ['src/index.ts', 'src/node.ts'], esbuildPlugins: [watEsbuildPlugin()] });
