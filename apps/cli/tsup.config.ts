import { preset } from '@collab-ts/tooling/tsup';

export default preset({ entry: ['src/bin.ts'], format: ['esm'], dts: false, banner: { js: '#!/usr/bin/env node' } });
