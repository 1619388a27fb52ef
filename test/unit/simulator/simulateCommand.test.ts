import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateCommand } from '../../../cli/commands/simulate';
import { decodeAgentEvent } from '../../../consumer/src/domain/decodeAgentEvent';
import { type CtrItem, CtrStreamParser } from '../../../processors/transfer/src/ctr/CtrStreamParser';
import { parseDuration } from '../../../simulator/src/parseDuration';

async function run(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    return { code: await simulateCommand.run(args), stdout };
  } finally {
    spy.mockRestore();
  }
}

describe('connect-wfm simulate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cwfm-simulate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = ['--agents', '8', '--duration', '4h', '--seed', '3', '--start', '2026-01-05T08:00:00Z'];

  it('--stats prints events per agent-hour, the contact mix and the ACW share', async () => {
    // Act
    const { code, stdout } = await run([...base, '--stats']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^agents\s+8$/m);
    expect(stdout).toMatch(/^events per agent-hour\s+\d+\.\d$/m);
    expect(stdout).toMatch(/^contact mix$/m);
    expect(stdout).toMatch(/^\s+VOICE INBOUND\s+\d+\s+\d+\.\d%$/m);
    expect(stdout).toMatch(/^ACW share\s+\d+\.\d% of handle time, \d+\.\d% of staffed time$/m);
  });

  it('writes JSON lines and Firehose-style CTR files the product decoders accept, identically for the same seed', async () => {
    // Act
    await run([...base, '--events', join(dir, 'a.jsonl'), '--ctr-dir', join(dir, 'ctr-a')]);
    await run([...base, '--events', join(dir, 'b.jsonl')]);

    // Assess
    const lines = readFileSync(join(dir, 'a.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    for (const line of lines) expect(decodeAgentEvent(line, false).ok).toBe(true);
    expect(readFileSync(join(dir, 'b.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'a.jsonl'), 'utf8'));
    const files = readdirSync(join(dir, 'ctr-a'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    const items: CtrItem[] = [];
    for (const f of files) {
      const parser = new CtrStreamParser();
      parser.push(readFileSync(join(f.parentPath, f.name)), items);
      parser.end(items);
    }
    expect(items.length).toBeGreaterThan(10);
    expect(items.every((i) => i.kind === 'record')).toBe(true);
  });

  it('rejects bad options with a clear message', async () => {
    // Assess
    await expect(run(['--duration', 'soon', '--stats'])).rejects.toThrow('--duration must look like 90s, 30m or 8h');
    await expect(run(['--agents', '5'])).rejects.toThrow(/nothing to do/);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90')).toBe(90_000);
  });
});
