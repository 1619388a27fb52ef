/** One subcommand of `connect-wfm`. `run` resolves to the process exit code. */
export interface Command {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}
