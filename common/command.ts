/**
 * One subcommand of `connect-wfm` (cli/) or of the consumer's lean entry (consumer/src/main.ts). `run` resolves to the
 * process exit code.
 */
export interface Command {
  name: string;
  summary: string;
  run(args: string[]): Promise<number>;
}
