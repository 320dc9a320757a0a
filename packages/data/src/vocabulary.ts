// The vocabulary lives in @collab-ts/core so models and eval can use it without the data package.
export { Vocabulary } from '@collab-ts/core';
export type { VocabularyJSON } from '@collab-ts/core';
