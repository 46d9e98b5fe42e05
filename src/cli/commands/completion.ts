/** `apim-dr completion bash|zsh`: a completion script built from the commands and options this CLI has. */
import type { Command } from 'commander';
import { UserError } from '../../errors';
import type { CliContext } from '../context';
import { ExitCode } from '../output';

export function completionScript(program: Command, shell: string): string {
  const globals = program.options.map((o) => o.long).filter((o): o is string => Boolean(o));
  const commands = program.commands.filter((c) => c.name() !== 'help');
  const words = (c: Command) => [...c.options.map((o) => o.long).filter((o): o is string => Boolean(o)), ...globals].join(' ');
  if (shell === 'bash') {
    const cases = commands.map((c) => `    ${c.name()}) opts="${words(c)}" ;;`).join('\n');
    return `# apim-dr completion for bash: eval "$(apim-dr completion bash)", or save it under /etc/bash_completion.d/
_apim_dr() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="\${COMP_WORDS[1]}" opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands.map((c) => c.name()).join(' ')} ${globals.join(' ')}" -- "$cur"))
    return
  fi
  case "$cmd" in
${cases}
    *) opts="${globals.join(' ')}" ;;
  esac
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o default -F _apim_dr apim-dr
`;
  }
  if (shell === 'zsh') {
    const cases = commands.map((c) => `    ${c.name()}) compadd -- ${words(c)} ;;`).join('\n');
    return `#compdef apim-dr
# apim-dr completion for zsh: apim-dr completion zsh > "\${fpath[1]}/_apim-dr"
_apim_dr() {
  if (( CURRENT == 2 )); then
    compadd -- ${commands.map((c) => c.name()).join(' ')} ${globals.join(' ')}
    return
  fi
  case "\${words[2]}" in
${cases}
    *) compadd -- ${globals.join(' ')} ;;
  esac
}
compdef _apim_dr apim-dr
`;
  }
  throw new UserError(`'${shell}' is not a shell apim-dr completes: use 'bash' or 'zsh'`, 'usage', 'InvalidShell');
}

export function registerCompletion(program: Command, cli: CliContext): void {
  program
    .command('completion <shell>')
    .description('print a shell completion script: bash (eval "$(apim-dr completion bash)") or zsh')
    .action((shell: string) =>
      cli.run(() => {
        process.stdout.write(completionScript(program, shell));
        return Promise.resolve(ExitCode.ok);
      }, false),
    );
}
