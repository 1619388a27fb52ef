import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { interrupt, killLeftovers, processesWithMarker, startStack } from '../integration/local/stackProcess';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Debian's Chromium (installed by `.ci/run` / `npm test`'s pretest), driven by playwright-core, against `npm start`.
describe('the live board in a browser', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'cwfm-board-'));
  const profile = mkdtempSync(join(tmpdir(), 'cwfm-chromium-'));
  const marker = randomUUID();
  const stack = startStack(['--state-dir', stateDir, '--board-port', '0', '--rta-port', '0', '--agents', '10'], marker);
  let browser: BrowserContext | undefined;

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await interrupt(stack, 5000).catch(() => undefined);
    killLeftovers(marker);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('shows agents appearing and changing state, and the transferred CSV files', async () => {
    // Prepare
    expect(existsSync(CHROMIUM)).toBe(true); // apt-get install -y chromium
    const url = await stack.boardUrl;
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = browser.pages()[0] ?? (await browser.newPage());

    // Act: open the board and watch
    await page.goto(url);
    await page.waitForFunction(() => document.querySelectorAll('#agents tr[data-agent]').length >= 3, undefined, {
      timeout: 60000,
    });
    const first = await page.$$eval('#agents tr[data-agent]', (rows) =>
      Object.fromEntries(rows.map((r) => [(r as HTMLElement).dataset.agent!, (r as HTMLElement).dataset.state!])),
    );
    await page.waitForFunction(
      (before: Record<string, string>) =>
        Array.from(document.querySelectorAll('#agents tr[data-agent]')).some((r) => {
          const row = r as HTMLElement;
          const was = before[row.dataset.agent!];
          return was !== undefined && was !== row.dataset.state;
        }),
      first,
      { timeout: 60000 },
    );
    const changed = await page.$$eval('#agents tr[data-agent]', (rows) =>
      Object.fromEntries(rows.map((r) => [(r as HTMLElement).dataset.agent!, (r as HTMLElement).dataset.state!])),
    );
    await page.waitForSelector('#files tr[data-file]', { timeout: 60000 });
    const fileName = await page.textContent('#files tr[data-file] td');
    const title = await page.title();

    // Assess
    expect(title).toBe('connect-wfm local board');
    expect(Object.keys(first).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(changed).some((agent) => first[agent] !== undefined && first[agent] !== changed[agent])).toBe(
      true,
    );
    expect(fileName).toMatch(/^\/upload\/connect-ctr-1-.*\.csv$/);
    await browser.close();
    browser = undefined;
    expect([0, 'SIGINT']).toContain(await interrupt(stack));
    expect(processesWithMarker(marker)).toEqual([]);
  }, 180000);
});
