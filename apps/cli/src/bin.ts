import { CommanderError } from 'commander';
import { CollabError } from '@collab-ts/core';
import { applyConfig } from './config.js';
import { createProgram } from './program.js';

/** Runs the CLI: exit 0 on success, 2 on a usage error, 1 on bad data or a failed run, with a one-line reason. */
async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    const { argv: args, applied } = applyConfig(program, argv);
    if (applied && !['-q', '--quiet', '--json'].some((f) => args.includes(f))) process.stderr.write(`config: ${applied.file} (${Object.keys(applied.values).join(', ')})\n`);
    await program.parseAsync(args);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit through here with code 0; commander already printed the reason
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CollabError) {
      process.stderr.write(`collab: ${err.message}\n`);
      return err.exitCode;
    }
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'EPIPE') return 0; // the reader of our output went away (`| head`): nothing more to say
    if (e && (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR')) {
      process.stderr.write(`collab: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`collab: unexpected error: ${e?.stack ?? String(err)}\n`);
    return 1;
  }
}

// `collab ... | head`: when the reader closes the pipe early, stop quietly with status 0, as Unix tools do
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
