import { PassThrough } from 'node:stream';
import { splitLines } from '../../../../consumer/src/retrieval/kcl/protocolStreams';

/** Feeds `chunks` to splitLines and returns the lines it reports, and whether it reported the end. */
async function linesOf(chunks: (Buffer | string)[]): Promise<{ lines: string[]; ended: boolean }> {
  const stdin = new PassThrough();
  const lines: string[] = [];
  let ended = false;
  const done = new Promise<void>((resolve) =>
    splitLines(
      stdin,
      (line) => lines.push(line),
      () => {
        ended = true;
        resolve();
      },
    ),
  );
  for (const c of chunks) stdin.write(c);
  stdin.end();
  await done;
  return { lines, ended };
}

describe('protocol lines from the MultiLangDaemon', () => {
  it('splits lines that arrive in pieces, several per read or one over many reads', async () => {
    const long = JSON.stringify({ action: 'processRecords', records: Array.from({ length: 2000 }, (_, i) => i) });
    const text = `{"action":"initialize"}\n${long}\n{"action":"shutdownRequested"}\n`;
    const chunks = [];
    for (let i = 0; i < text.length; i += 333) chunks.push(Buffer.from(text.slice(i, i + 333)));
    expect((await linesOf(chunks)).lines).toEqual(['{"action":"initialize"}', long, '{"action":"shutdownRequested"}']);
  });

  it('keeps a multi-byte character whole when a read ends inside it', async () => {
    const bytes = Buffer.from('{"name":"Zoë ✓"}\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside "ë"
    expect((await linesOf([bytes.subarray(0, cut), bytes.subarray(cut)])).lines).toEqual(['{"name":"Zoë ✓"}']);
  });

  it('ends lines at \\n, \\r\\n and \\r as readline does, and reports a last line without a newline', async () => {
    const { lines, ended } = await linesOf(['a\r', '\nb\rc\n', 'd']);
    expect(lines).toEqual(['a', '', 'b', 'c', 'd']);
    expect(ended).toBe(true);
  });

  it('reuses nothing of an earlier line in a later, shorter one', async () => {
    expect((await linesOf(['x'.repeat(100_000), '\n', 'short', '\n'])).lines.map((l) => l.length)).toEqual([
      100_000, 5,
    ]);
  });
});
