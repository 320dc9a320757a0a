import { preset } from '@collab-ts/tooling/tsup';

// usearch (for `serve --ann`) is an optional native dependency, imported at run time only when asked for
export default preset({ entry: ['src/bin.ts'], format: ['esm'], dts: false, banner: { js: '#!/usr/bin/env node' }, external: ['usearch'] });
