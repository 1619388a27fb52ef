import { PassThrough, type Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { Logger } from '../../../../common/logging/logger';

/**
 * Actions aws-kcl 2.3.2 handles; anything else crashes it
 * (docs/reference/multilang-protocol.md#the-aws-kcl-node-library, defect 1).
 */
export const KCL_ACTIONS = new Set([
  'initialize',
  'processRecords',
  'leaseLost',
  'shardEnded',
  'shutdownRequested',
  'checkpoint',
]);

export interface ProtocolStreams {
  /** What aws-kcl reads: only well-formed lines with a known action. */
  input: Readable;
  /** What aws-kcl writes: the real stdout (the protocol channel). Never reports back-pressure as failure. */
  output: Writable;
}

export interface ProtocolStreamsOptions {
  stdin: Readable;
  /** Writes to the protocol channel (the original process.stdout.write). */
  writeProtocol: (text: string, callback: (error?: Error | null) => void) => void;
  logger: Logger;
  /** stdin reached EOF: the daemon closed it (terminal action done, or it is gone). The child must exit. */
  onEnd: () => void;
}

/**
 * Hardens aws-kcl against its known defects: a malformed line or an unknown action from the daemon would crash
 * it, so such lines are logged and handled here instead (an unknown action is answered with a status, which is
 * what the daemon waits for); its output never reports back-pressure (defect 6); EOF ends the process (defect 3).
 */
export function createProtocolStreams(options: ProtocolStreamsOptions): ProtocolStreams {
  const { logger } = options;
  const output = new Writable({
    highWaterMark: 64 * 1024 * 1024,
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      options.writeProtocol(typeof chunk === 'string' ? chunk : chunk.toString('utf8'), callback);
    },
  });
  const input = new PassThrough();
  const lines = createInterface({ input: options.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      logger.error('skipping malformed line from the MultiLangDaemon', { line: line.slice(0, 200) });
      return;
    }
    const action = (message as { action?: unknown } | null)?.action;
    if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof action !== 'string') {
      logger.error('skipping a daemon message without an action', { line: line.slice(0, 200) });
      return;
    }
    if (!KCL_ACTIONS.has(action)) {
      logger.warn('unknown action from the MultiLangDaemon; acknowledging it with a status', { action });
      output.write(`\n${JSON.stringify({ action: 'status', responseFor: action })}\n`);
      return;
    }
    input.write(line + '\n');
  });
  lines.on('close', () => {
    input.end();
    options.onEnd();
  });
  return { input, output };
}

/**
 * Takes stdout for the protocol and sends every other stdout write (console.log, a library's print) to stderr,
 * where the daemon logs it instead of choking on it. Returns the protocol writer.
 */
export function claimStdoutForProtocol(): (text: string, callback: (error?: Error | null) => void) => void {
  const stdout = process.stdout;
  const original = stdout.write.bind(stdout) as (text: string, callback: (error?: Error | null) => void) => boolean;
  const toStderr = process.stderr.write.bind(process.stderr);
  (stdout as { write: unknown }).write = toStderr;
  return (text, callback) => {
    original(text, callback);
  };
}
