import { mergeConfig } from 'vitest/config';
import { preset } from '@collab-ts/tooling/vitest';
import { watVitePlugin } from '@collab-ts/tooling/wat';

// tests run the sources, so `.wat` imports need the same build-time compile as tsup's
export default mergeConfig(preset(), { plugins: [watVitePlugin()] });
