import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';

export interface EventLine {
  /** 1-based position in the file: the replay's sequence number. */
  index: number;
  /** One event's JSON exactly as in a Kinesis record's data. */
  data: Buffer;
  /** Bytes of the file read so far, for progress. */
  bytesRead: number;
}

/**
 * The events of a replay file, in order: JSON lines (one event per line, streamed, any size), or one JSON document
 * holding an array of events or a single event (parsed whole: meant for sample-sized files). Blank lines are skipped.
 */
export async function* readEventFile(path: string): AsyncGenerator<EventLine> {
  if (await isOneDocument(path)) {
    const text = await readFile(path, 'utf8');
    const parsed: unknown = JSON.parse(text);
    const events = Array.isArray(parsed) ? parsed : [parsed];
    let index = 0;
    for (const e of events)
      yield { index: ++index, data: Buffer.from(JSON.stringify(e), 'utf8'), bytesRead: text.length };
    return;
  }
  // 1 MiB reads: with the 64 KiB default the replay waited on the thread pool for a fifth of its time.
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let index = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    yield { index: ++index, data: Buffer.from(line, 'utf8'), bytesRead: input.bytesRead };
  }
}

export const fileSize = async (path: string): Promise<number> => (await stat(path)).size;

/** An array, or an object whose first line is not a whole event (pretty-printed JSON rather than JSON lines). */
async function isOneDocument(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').trimStart();
    if (head.startsWith('[')) return true;
    if (!head.startsWith('{')) return false;
    try {
      JSON.parse(head.split('\n', 1)[0]!);
      return false;
    } catch {
      return true;
    }
  } finally {
    await handle.close();
  }
}
