/** How to run the CLI from a clone of the repository: pnpm is fetched by npx, it need not be installed. */
export const REPO_COMMAND = 'npx -y pnpm@10 --silent collab';

/**
 * The command a hint should tell the user to type: {@link REPO_COMMAND} when this process runs the
 * repository's own build (`apps/cli/dist/bin.js` outside `node_modules`, as `npx -y pnpm@10 run main` does),
 * where a newcomer has only Node and npm; `collab` when the package is installed.
 */
export function collabCommand(script: string | undefined = process.argv[1]): string {
  if (!script) return 'collab';
  const path = script.replace(/\\/g, '/');
  return /\/apps\/cli\/dist\/bin\.[cm]?js$/.test(path) && !path.includes('/node_modules/') ? REPO_COMMAND : 'collab';
}
