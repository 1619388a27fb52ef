import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadKclDaemonConfig } from '../../common/config/loadConfig';
import { errorMessage } from '../../common/errors';
import { buildKclProperties } from '../../consumer/src/runtime/kcl/kclProperties';
import { resolveWorkerId } from '../../consumer/src/runtime/kcl/resolveWorkerId';
import type { Command } from '../command';

/** Writes the MultiLangDaemon's properties file (to --output, or stdout). */
export const kclPropertiesCommand: Command = {
  name: 'kcl-properties',
  summary:
    'kcl-properties [--output FILE] [--executable CMD]: write the KCL MultiLangDaemon properties from the environment',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { output: { type: 'string', short: 'o' }, executable: { type: 'string' } },
    });
    try {
      const config = loadKclDaemonConfig();
      const text = buildKclProperties({
        kinesis: config.kinesis,
        checkpoint: config.checkpoint,
        ops: config.ops,
        kcl: config.kcl,
        workerId: await resolveWorkerId(config.kinesis),
        executableName: values.executable,
      });
      if (values.output) await writeFile(values.output, text);
      else process.stdout.write(text);
      return 0;
    } catch (error) {
      process.stderr.write(`connect-wfm kcl-properties: ${errorMessage(error)}\n`);
      return 1;
    }
  },
};
