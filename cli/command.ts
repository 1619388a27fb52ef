import type { Command } from '../common/command';

export type { Command };

/**
 * A command whose modules load only when it runs: `--help` and every other command never load them, so the runtime
 * image needs no package that only `start` or `simulate` use, and each command starts fast. `name` and `summary`
 * repeat the module's own (cli/main.test checks they match).
 */
export function lazyCommand(name: string, summary: string, load: () => Promise<Command>): Command {
  return {
    name,
    summary,
    run: async (args) => {
      const command = await load();
      if (command.name !== name) throw new Error(`command table names '${name}' but loads '${command.name}'`);
      return command.run(args);
    },
  };
}
