/** The environment variable that names the directory holding datasets (`$COLLAB_DATA_DIR/ml-100k/u.data`). */
export const DATA_DIR_ENV = 'COLLAB_DATA_DIR';

/** The dataset directory from the environment, or `undefined` when it is not set. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env[DATA_DIR_ENV];
  return v && v.trim() !== '' ? v : undefined;
}
