import { parseCsv, convertBytes } from '../../../../helpers/ctrCsv';
import { concatenated, ctrFactory } from '../../../../helpers/ctrFactory';

const record = (contactId: string, username: string): Buffer =>
  Buffer.from(concatenated([ctrFactory({ contactId, username: 'PLACEHOLDER' })]).replace('PLACEHOLDER', username));

describe('CTR text fidelity (docs/historical-feed.md, "Text rule")', () => {
  it('quarantines a record with invalid UTF-8 instead of writing U+FFFD silently, and counts it', async () => {
    // Prepare: 0xff is never valid UTF-8; 0xc3 0x28 is a broken two-byte sequence
    const broken = record('bad', 'AB');
    const at = broken.indexOf('AB');
    broken[at] = 0xff;
    broken[at + 1] = 0xc3;
    const input = Buffer.concat([record('before', 'ok'), broken, record('after', 'ok')]);

    // Act
    const { csv, invalid, stats } = await convertBytes(input, { chunkSize: 7 });

    // Assess
    expect(
      parseCsv(csv)
        .slice(1)
        .map((r) => r[6]),
    ).toEqual(['before', 'after']);
    expect(csv).not.toContain('\ufffd');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]!.reason).toMatch(/invalid UTF-8/);
    expect(invalid[0]!.text.equals(broken)).toBe(true);
    expect(stats.invalidUtf8).toBe(1);
  });

  it('replaces control characters and lone surrogates in exported fields with U+FFFD and counts them', async () => {
    // Escaped NUL, ESC and a lone surrogate; raw DEL and a C1 control (valid UTF-8, still control characters)
    const input = record('c-1', 'a\\u0000b\\u001bc\\ud800d\u007fe\u0085f');
    const { csv, stats } = await convertBytes(input);
    // eslint-disable-next-line no-control-regex
    expect(csv).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    expect(parseCsv(csv)[1]![4]).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf');
    expect(stats.controlCharsReplaced).toBe(5);
  });

  it('keeps tabs, line breaks and valid surrogate pairs (emoji) as they are', async () => {
    const { csv, stats } = await convertBytes(record('c-2', 'tab\\there\\r\\nnext \\ud83d\\ude00 😀'));
    expect(parseCsv(csv)[1]![4]).toBe('tab\there\r\nnext 😀 😀');
    expect(stats.controlCharsReplaced).toBe(0);
  });
});
