import { PassThrough, type Readable, Writable } from 'node:stream';
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
  // Strings in, strings out: aws-kcl's readline takes each line as it is, with no Buffer copy and no decoding.
  const input = new PassThrough({ decodeStrings: false, encoding: 'utf8' });
  const onLine = (line: string): void => {
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
  };
  splitLines(options.stdin, onLine, () => {
    input.end();
    options.onEnd();
  });
  return { input, output };
}

/** The line buffer is kept between lines up to this size (a 1,000-record batch is about 2 MB), else let go. */
const KEPT_LINE_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Calls `onLine` for each line of `stdin` (ended by \n, \r\n or \r, as readline splits them). A processRecords line
 * is megabytes long and arrives in many reads: they are copied into one reused buffer and decoded once, when the
 * line is complete. readline instead grows a string across reads, which (like the reads themselves, if kept)
 * survives into V8's old generation and is freed only by a full collection: several lines' worth piled up in a
 * child's peak RSS (bench:kcl-memory).
 */
export function splitLines(stdin: Readable, onLine: (line: string) => void, onEnd: () => void): void {
  let buffer = Buffer.alloc(0);
  let length = 0;
  const append = (bytes: Buffer): void => {
    if (length + bytes.length > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(length + bytes.length, buffer.length * 2, 64 * 1024));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    bytes.copy(buffer, length);
    length += bytes.length;
  };
  const emit = (bytes: Buffer): void => {
    for (const line of bytes.toString('utf8').split(/\r\n?|\n/)) onLine(line);
  };
  const complete = (last: Buffer): void => {
    if (length === 0) return emit(last);
    append(last);
    const line = buffer.subarray(0, length);
    length = 0;
    emit(line);
    if (buffer.length > KEPT_LINE_BUFFER_BYTES) buffer = Buffer.alloc(0);
  };
  stdin.on('data', (data: Buffer | string) => {
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      complete(chunk.subarray(start, end));
      start = end + 1;
    }
    if (start < chunk.length) append(chunk.subarray(start));
  });
  stdin.on('end', () => {
    if (length > 0) complete(Buffer.alloc(0));
    onEnd();
  });
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
