import shared from '@collab-ts/tooling/eslint';

export default [{ ignores: ['docs/.vitepress/dist/**', 'docs/.vitepress/cache/**', 'docs/api/**'] }, ...shared];
