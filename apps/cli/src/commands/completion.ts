import { Command, Option } from 'commander';

/** A bash completion script for the commands and options of `program` (zsh loads it through bashcompinit). */
export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
  const cases = program.commands
    .map((c) => {
      const flags = c.options.flatMap((o) => [o.long, o.short].filter(Boolean)).join(' ');
      return `    ${c.name()}) opts="${flags} --help" ;;`;
    })
    .join('\n');
  const names = program.commands.map((c) => c.name()).join(' ');
  const body = `_collab() {
  local cur cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names} --help --version" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -F _collab collab
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${body}` : body;
}

/** `collab completion bash|zsh`: prints a shell completion script. */
export function completionCommand(program: () => Command): Command {
  return new Command('completion')
    .description('print a shell completion script for collab')
    .addOption(new Option('--shell <shell>', 'shell').choices(['bash', 'zsh']).default('bash'))
    .addHelpText('after', '\nExamples:\n  $ collab completion >> ~/.bashrc\n  $ collab completion --shell zsh >> ~/.zshrc')
    .action((opts: { shell: 'bash' | 'zsh' }) => {
      process.stdout.write(completionScript(program(), opts.shell));
    });
}
