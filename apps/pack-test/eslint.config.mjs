export { default } from '@collab-ts/tooling/eslint';
