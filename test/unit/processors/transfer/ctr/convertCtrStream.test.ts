import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvHeader } from '../../../../../processors/transfer/src/ctr/ctrToCsvRow';
import { InMemoryDeduplicator } from '../../../../../processors/transfer/src/dedup/InMemoryDeduplicator';
import { concatenated, ctrFactory } from '../../../../helpers/ctrFactory';
import { generatedCtr } from '../../../../helpers/ctrGenerator';
import { convertBytes, gzip, parseCsv } from '../../../../helpers/ctrCsv';
import { SeededRandom } from '../../../../../simulator/src/SeededRandom';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'fixtures', 'events', 'ctr');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

const HEADER =
  'Agent_ARN,Agent_AfterContactWorkDuration,Agent_AgentInteractionDuration,Agent_CustomerHoldDuration,Agent_Username,' +
  'Channel,ContactID,InitiationMethod,InitiationTimestamp,Queue_ARN,Queue_Duration,Queue_EnqueueTimestamp,Queue_Name,' +
  'SystemEndpoint_Address,TransferCompletedTimestamp,TransferredToEndpoint';
const SAMPLE_01_ROW =
  'e7c9afb6-b1e1-4afa-b5b5-d1c9bc752b69,5,239,221,Steve.Lusk,VOICE,6fe40d2a-1a89-4d73-bfcf-5d9c33894f47,INBOUND,' +
  '2022-01-05T17:12:59Z,078ccbaa-ae69-4bf9-84bc-5c60ca9b1478,346,2022-01-05T17:14:46Z,TCC Refrig AC LLA,+18003335555,' +
  '2022-01-05T17:28:12Z,+18002430000';

describe('convertCtrStream over the real samples', () => {
  it('turns the real CTR (pretty-printed JSON) into exactly the contract header and row', async () => {
    const { csv, invalid } = await convertBytes(fixture('01-inbound-external-transfer-first-delivery.json'));
    expect(invalid).toEqual([]);
    expect(csv).toBe(`${HEADER}\r\n${SAMPLE_01_ROW}\r\n`);
  });

  it('splits the Firehose-style concatenated object (no delimiter) into its three records, at any chunk size', async () => {
    for (const chunkSize of [1, 7, 4096, 1 << 20]) {
      const { csv, stats } = await convertBytes(fixture('derived-firehose-style-concatenated.txt'), { chunkSize });
      const rows = parseCsv(csv);
      expect(stats).toMatchObject({ records: 3, rows: 3, invalid: 0 });
      expect(rows.slice(1).map((r) => r[6])).toEqual([
        '6fe40d2a-1a89-4d73-bfcf-5d9c33894f47',
        '6fe40d2a-1a89-4d73-bfcf-5d9c33894f47',
        '6fe40d2a-1a89-4d73-bfcf-5d9c33894f47',
      ]);
    }
  });

  it('reads the JSON-array sample and, with in-file de-duplication, keeps one row for the six copies', async () => {
    const all = await convertBytes(fixture('extra-duplicated_samples.json'));
    expect(all.stats).toMatchObject({ records: 6, rows: 6, invalid: 0 });
    const dedup = new InMemoryDeduplicator('standard');
    const once = await convertBytes(fixture('extra-duplicated_samples.json'), { deduplicator: dedup });
    expect(once.stats.rows).toBe(1);
    expect(dedup.skipped).toBe(5);
  });

  it('reads the 2022 CTR with newer top-level keys', async () => {
    const { csv, invalid } = await convertBytes(fixture('extra/unattributed-event_ctr_01.derived.json'));
    expect(invalid).toEqual([]);
    expect(parseCsv(csv)).toHaveLength(2);
  });
});

describe('convertCtrStream edge cases', () => {
  it('quotes commas, quotes and newlines per RFC 4180 and keeps columns aligned', async () => {
    const record = ctrFactory({ username: 'Åsa, "Öberg"', queueName: 'Line1\nLine2\r\nEnd', systemEndpoint: '+1,800' });
    const { csv } = await convertBytes(JSON.stringify(record));
    expect(csv.split('\r\n')[1]).toContain(',"Åsa, ""Öberg""",');
    const rows = parseCsv(csv);
    expect(rows[1]).toHaveLength(16);
    expect(rows[1]![4]).toBe('Åsa, "Öberg"');
    expect(rows[1]![12]).toBe('Line1\nLine2\r\nEnd');
    expect(rows[1]![13]).toBe('+1,800');
  });

  it('writes non-ASCII text as exact UTF-8 bytes, even when a character is split across chunks', async () => {
    const name = 'Ærøskøbing – 東京 – 😀';
    const { csv } = await convertBytes(JSON.stringify(ctrFactory({ queueName: name })), { chunkSize: 3 });
    expect(Buffer.from(csv, 'utf8').includes(Buffer.from(name, 'utf8'))).toBe(true);
    expect(parseCsv(csv)[1]![12]).toBe(name);
  });

  it('decodes JSON escapes in values and keys like JSON.parse', async () => {
    const text = JSON.stringify(ctrFactory({ username: 'x' }))
      .replace('"Username":"x"', '"Username":"\\u00c5sa\\t\\"q\\" \\ud83d\\ude00"')
      .replace('"ContactId"', '"Contact\\u0049d"');
    const { csv, invalid } = await convertBytes(text);
    expect(invalid).toEqual([]);
    expect(parseCsv(csv)[1]![4]).toBe('Åsa\t"q" 😀');
  });

  it('leaves cells empty for null and for absent Agent, Queue, SystemEndpoint and TransferredToEndpoint', async () => {
    const nulls = ctrFactory({ connectedToAgentTimestamp: null, systemEndpoint: null });
    const queueNull = { ...ctrFactory(), Queue: null };
    const absent = ctrFactory();
    delete absent.Agent;
    delete absent.Queue;
    delete absent.SystemEndpoint;
    delete absent.TransferredToEndpoint;
    const { csv, invalid } = await convertBytes(concatenated([nulls, queueNull, absent]));
    expect(invalid).toEqual([]);
    const rows = parseCsv(csv).slice(1);
    expect(rows[0]!.slice(0, 5)).toEqual(['', '', '', '', '']);
    expect(rows[0]![13]).toBe('');
    expect(rows[1]!.slice(9, 13)).toEqual(['', '', '', '']);
    expect(rows[2]).toEqual([
      '',
      '',
      '',
      '',
      '',
      'VOICE',
      expect.any(String),
      'INBOUND',
      '2022-01-05T17:12:59Z',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  });

  it('prints TransferredToEndpoint as its Address and ARNs as the id after the last slash', async () => {
    const { csv } = await convertBytes(
      JSON.stringify(ctrFactory({ transferredTo: '+4670000', agentId: 'a-1', queueId: 'q-9' })),
    );
    const row = parseCsv(csv)[1]!;
    expect([row[0], row[9], row[15]]).toEqual(['a-1', 'q-9', '+4670000']);
  });

  it('reads gzip by its magic bytes, whatever the name, including concatenated gzip members', async () => {
    const a = JSON.stringify(ctrFactory({ contactId: 'a' }));
    const b = JSON.stringify(ctrFactory({ contactId: 'b' }));
    const { csv, stats } = await convertBytes(Buffer.concat([gzip(a), gzip(b)]), { chunkSize: 5 });
    expect(stats.rows).toBe(2);
    expect(
      parseCsv(csv)
        .slice(1)
        .map((r) => r[6]),
    ).toEqual(['a', 'b']);
  });

  it('fails a corrupt gzip stream instead of delivering part of it', async () => {
    const broken = gzip(JSON.stringify(ctrFactory())).subarray(0, 60);
    await expect(convertBytes(broken)).rejects.toMatchObject({ name: 'CorruptObjectError' });
  });

  it('names ZIP and Snappy objects instead of reading them as garbage', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 1)]);
    await expect(convertBytes(zip, { chunkSize: 3 })).rejects.toMatchObject({
      name: 'CorruptObjectError',
      message: expect.stringContaining('ZIP'),
    });
    const snappy = Buffer.concat([Buffer.from('ff060000734e61507059', 'hex'), Buffer.alloc(40, 1)]);
    await expect(convertBytes(snappy)).rejects.toMatchObject({ message: expect.stringContaining('Snappy') });
  });

  it('accepts CRLF, LF, spaces and tabs between records, and a UTF-8 BOM-free CRLF file', async () => {
    const recs = ['a', 'b', 'c', 'd'].map((id) => JSON.stringify(ctrFactory({ contactId: id })));
    const text = `\r\n${recs[0]}\r\n${recs[1]}\n \t${recs[2]}${recs[3]}\r\n`;
    const { csv, invalid } = await convertBytes(text, { chunkSize: 2 });
    expect(invalid).toEqual([]);
    expect(
      parseCsv(csv)
        .slice(1)
        .map((r) => r[6]),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps braces, }{ and escaped quotes inside strings as text', async () => {
    const tricky = ctrFactory({ contactId: 'x', queueName: 'a}{b} {"c":"d"}\\"' });
    const text = concatenated([tricky, ctrFactory({ contactId: 'y' })]);
    const { csv, invalid } = await convertBytes(text, { chunkSize: 3 });
    expect(invalid).toEqual([]);
    const rows = parseCsv(csv).slice(1);
    expect(rows.map((r) => r[6])).toEqual(['x', 'y']);
    expect(rows[0]![12]).toBe('a}{b} {"c":"d"}\\"');
  });

  it('skips a UTF-8 byte-order mark at the start, even split across chunks', async () => {
    const text = '\ufeff' + JSON.stringify(ctrFactory({ contactId: 'bom' }));
    for (const chunkSize of [1, 2, 4096]) {
      const { csv, invalid } = await convertBytes(text, { chunkSize });
      expect(invalid).toEqual([]);
      expect(parseCsv(csv)[1]![6]).toBe('bom');
    }
  });

  it('writes only the header for an empty or whitespace-only object', async () => {
    for (const input of ['', '\r\n  \n']) {
      const { csv, invalid, stats } = await convertBytes(input);
      expect(csv).toBe(csvHeader('standard'));
      expect(invalid).toEqual([]);
      expect(stats.records).toBe(0);
    }
  });

  it('delivers every complete record of a truncated file and reports the exact truncated tail', async () => {
    const good = JSON.stringify(ctrFactory({ contactId: 'good' }));
    const cut = JSON.stringify(ctrFactory({ contactId: 'cut' })).slice(0, 500);
    const { csv, invalid } = await convertBytes(good + '\n' + cut, { chunkSize: 64 });
    expect(
      parseCsv(csv)
        .slice(1)
        .map((r) => r[6]),
    ).toEqual(['good']);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]!.text.toString()).toBe(cut);
    expect(invalid[0]!.offset).toBe(good.length + 1);
    expect(invalid[0]!.reason).toBe('truncated record');
  });

  it('recovers after a record cut short in the middle of the file (the next record starts inside it)', async () => {
    const cut = JSON.stringify(ctrFactory({ contactId: 'cut', queueName: 'Sales {EU}' })).slice(0, 1200);
    const after = JSON.stringify(ctrFactory({ contactId: 'after' }));
    const { csv, invalid } = await convertBytes(JSON.stringify(ctrFactory({ contactId: 'before' })) + cut + after, {
      chunkSize: 100,
    });
    expect(
      parseCsv(csv)
        .slice(1)
        .map((r) => r[6]),
    ).toEqual(['before', 'after']);
    expect(invalid.map((i) => i.text.toString())).toEqual([cut]);
  });

  it('quarantines invalid JSON, valid JSON that is not a CTR, and garbage, and keeps the rest', async () => {
    const badToken = JSON.stringify(ctrFactory({ contactId: 'bad' })).replace('"SurveyFlag":"N"', '"SurveyFlag":tru');
    const notCtr = '{"hello":"world","n":[1,2,{"x":null}]}';
    const wrongType = JSON.stringify({ ...ctrFactory({ contactId: 'w' }), Agent: 'not an object' });
    const text = [
      JSON.stringify(ctrFactory({ contactId: '1' })),
      badToken,
      notCtr,
      'GARBAGE',
      wrongType,
      JSON.stringify(ctrFactory({ contactId: '2' })),
    ].join('');
    const { csv, invalid } = await convertBytes(text, { chunkSize: 50 });
    expect(
      parseCsv(csv)
        .slice(1)
        .map((r) => r[6]),
    ).toEqual(['1', '2']);
    expect(invalid.map((i) => i.text.toString())).toEqual([badToken, notCtr, 'GARBAGE', wrongType]);
    expect(invalid[0]!.reason).toMatch(/bad literal/);
    expect(invalid[1]!.reason).toMatch(/no ContactId/);
    expect(invalid[3]!.reason).toMatch(/Agent is not an object/);
  });

  it('rejects JSON that JSON.parse rejects (trailing commas, bad numbers, control characters, single quotes)', async () => {
    const base = JSON.stringify(ctrFactory({ contactId: 'z' }));
    const broken = [
      base.replace('"NumberOfHolds":2', '"NumberOfHolds":02'),
      base.replace('"NumberOfHolds":2', '"NumberOfHolds":2.'),
      base.replace('"References":[]', '"References":[1,]'),
      base.replace('"SurveyFlag":"N"', '"SurveyFlag":"N\u0001"'),
      base.replace('"SurveyFlag":"N"', "'SurveyFlag':'N'"),
      base.replace('"SurveyFlag":"N"', '"SurveyFlag":"\\x41"'),
    ];
    for (const text of broken) {
      expect(() => JSON.parse(text)).toThrow();
      const { stats } = await convertBytes(text);
      expect(stats).toMatchObject({ rows: 0, invalid: 1 });
    }
  });

  it('agrees with JSON.parse on every exported field for generated records with awkward strings', async () => {
    const alphabet = ['a', ',', '"', '\n', '\r', '{', '}', '\\', 'é', '東', '😀', ' ', '\t', '/'];
    const prng = new SeededRandom(7);
    const rand = (n: number): number => prng.int(0, n - 1);
    const word = (): string => Array.from({ length: rand(12) }, () => alphabet[rand(alphabet.length)]).join('');
    const records = Array.from({ length: 60 }, (_, i) =>
      ctrFactory({ contactId: `c${i}`, username: word(), queueName: word(), systemEndpoint: word() }),
    );
    const { csv } = await convertBytes(concatenated(records, '\n'), { chunkSize: 13 });
    const rows = parseCsv(csv).slice(1);
    expect(rows).toHaveLength(60);
    rows.forEach((row, i) => {
      const r = records[i] as {
        Agent: { Username: string };
        Queue: { Name: string };
        SystemEndpoint: { Address: string };
      };
      expect([row[4], row[12], row[13]]).toEqual([r.Agent.Username, r.Queue.Name, r.SystemEndpoint.Address]);
    });
  });

  it('gives the same CSV whatever the chunking (records straddling chunk boundaries, bridged or joined)', async () => {
    const text = Array.from(
      { length: 300 },
      (_, i) => JSON.stringify(generatedCtr(i)) + (i % 3 === 0 ? '\n' : ''),
    ).join('');
    const whole = await convertBytes(text, { chunkSize: text.length });
    expect(whole.stats.rows).toBe(300);
    for (const chunkSize of [997, 3000, 5001, 70000, 200000]) {
      expect((await convertBytes(text, { chunkSize })).csv).toBe(whole.csv);
    }
  });

  it('adds Agent_ConnectedToAgentTimestamp, DisconnectTimestamp and LastUpdateTimestamp in the extended layout', async () => {
    const { csv } = await convertBytes(fixture('01-inbound-external-transfer-first-delivery.json'), {
      layout: 'extended',
    });
    expect(csv).toBe(
      `${HEADER},Agent_ConnectedToAgentTimestamp,DisconnectTimestamp,LastUpdateTimestamp\r\n` +
        `${SAMPLE_01_ROW},2022-01-05T17:20:32Z,2022-01-05T17:47:28Z,2022-01-05T17:48:35Z\r\n`,
    );
  });
});
