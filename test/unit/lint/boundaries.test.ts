import { ESLint } from 'eslint';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** The messages eslint (the repository's own config) reports for `code` placed at `file`. */
async function lint(file: string, code: string): Promise<string[]> {
  // The repository's config, handed in (jest cannot load it by dynamic import as the eslint CLI does).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(join(ROOT, 'eslint.config.js')) as ESLint.Options['overrideConfig'];
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: config });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries (eslint)', () => {
  it.each([
    [
      'the domain importing delivery',
      'consumer/src/domain/planted.ts',
      "import { RtaClient } from '../delivery/RtaClient';",
    ],
    ['the domain doing I/O', 'consumer/src/domain/planted.ts', "import { readFile } from 'node:fs/promises';"],
    [
      'the domain importing a config value',
      'consumer/src/domain/planted.ts',
      "import { LOCAL_AUTH_KEY } from '../../../common/config/rtaConfig';",
    ],
    [
      'the consumer importing the CLI',
      'consumer/src/processor/planted.ts',
      "import { lazyCommand } from '../../../cli/command';",
    ],
    [
      'the consumer importing the tests',
      'consumer/src/retrieval/kcl/planted.ts',
      "import { fakeDaemon } from '../../../../test/helpers/fakeDaemon';",
    ],
    [
      'a record source importing delivery',
      'consumer/src/retrieval/polling/planted.ts',
      "import { RtaClient } from '../../delivery/RtaClient';",
    ],
    [
      'delivery importing the checkpoint store',
      'consumer/src/delivery/planted.ts',
      "import type { CheckpointStore } from '../checkpoint/types';",
    ],
    [
      'the checkpoint store importing delivery',
      'consumer/src/checkpoint/planted.ts',
      "import { RtaClient } from '../delivery/RtaClient';",
    ],
    [
      'the Lambda importing the statistics',
      'processors/transfer/src/planted.ts',
      "import { parseCsv } from '../../statistics/src/parseCsv';",
    ],
    [
      'the Lambda importing the consumer',
      'processors/transfer/src/planted.ts',
      "import { RtaClient } from '../../../consumer/src/delivery/RtaClient';",
    ],
    [
      'common/ importing a package',
      'common/planted.ts',
      "import { RtaClient } from '../consumer/src/delivery/RtaClient';",
    ],
    ['process.env outside common/config', 'consumer/src/planted.ts', 'export const level = process.env.LOG_LEVEL;'],
  ])('rejects %s', async (_what, file, code) => {
    // Act
    const messages = await lint(file, `${code}\nexport {};\n`);
    // Assess
    expect(messages.some((m) => /no-restricted-(imports|properties)/.test(m))).toBe(true);
  });

  it.each([
    [
      'the domain importing the domain',
      'consumer/src/domain/planted.ts',
      "import type { AgentState } from './agentState';",
    ],
    [
      'the domain importing a config type',
      'consumer/src/domain/planted.ts',
      "import type { StateMode } from '../../../common/config/rtaConfig';",
    ],
    [
      'delivery importing the domain',
      'consumer/src/delivery/planted.ts',
      "import type { AgentState } from '../domain/agentState';",
    ],
    [
      'the CLI importing the consumer',
      'cli/commands/planted.ts',
      "import { consumeCommand } from '../../consumer/src/commands/consume';",
    ],
  ])('accepts %s', async (_what, file, code) => {
    // Act
    const messages = await lint(file, `${code}\nexport {};\n`);
    // Assess
    expect(messages.filter((m) => /no-restricted/.test(m))).toEqual([]);
  });
});
