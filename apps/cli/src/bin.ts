import { CommanderError } from 'commander';
import type { Command } from 'commander';
import { CollabError } from '@collab-ts/core';
import { writeError } from '@collab-ts/core/node';
import { applyConfig } from './config.js';
import { createProgram } from './program.js';

/**
 * Runs the CLI: exit 0 on success; 2 on a usage error (a bad flag, an unknown id the user typed, a path they
 * named that is missing or not what was asked for); 1 on bad file content or a failed run. Always with a reason.
 */
async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  // every command and subcommand (`import spark-als`) throws instead of exiting, so usage errors exit 2
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    for (const sub of cmd.commands) override(sub);
  };
  override(program);
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
    // a path the user named that does not exist or is of the wrong kind: a usage error, as for --data and --model
    if (e && (e.code === 'ENOENT' || e.code === 'ENOTDIR' || e.code === 'EISDIR')) {
      process.stderr.write(`collab: ${e.message}\n`);
      return 2;
    }
    // any other system error (EACCES, ENOSPC, EROFS, EDQUOT, ...): one line with the path and the cause
    if (e && typeof e.code === 'string' && typeof e.syscall === 'string') {
      process.stderr.write(`collab: ${writeError(e.path ?? (e.syscall === 'write' ? 'the output' : e.syscall), e).message}\n`);
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
