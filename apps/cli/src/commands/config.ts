import { Command } from 'commander';
import { configSchema } from '../config.js';

/** `collab config-schema`: prints the JSON schema of `collab.config.json`. */
export function configSchemaCommand(program: () => Command): Command {
  return new Command('config-schema')
    .description('print the JSON schema of collab.config.json (every option of every command)')
    .addHelpText('after', '\nExamples:\n  $ collab config-schema > collab.config.schema.json\n  $ collab train --config collab.config.json')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configSchema(program()), null, 2)}\n`);
    });
}
