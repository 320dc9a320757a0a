import { preset } from '@collab-ts/tooling/tsup';
import { watEsbuildPlugin } from './scripts/wat.mjs';

// the GEMM kernel's WAT source is compiled at build time and inlined as base64 (scripts/wat.mjs)
export default preset({ entry: ['src/index.ts', 'src/node.ts'], esbuildPlugins: [watEsbuildPlugin()] });
