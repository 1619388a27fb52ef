import { join } from 'node:path';
import { KCL_CHILD_ENV, KCL_CHILD_NODE_OPTIONS } from '../../consumer/src/runtime/nodeOptions';

/** The child's heap flags; KCL_CHILD_FLAGS overrides them to compare settings. */
export const KCL_CHILD_FLAGS = process.env.KCL_CHILD_FLAGS?.split(' ') ?? KCL_CHILD_NODE_OPTIONS;

/** A `kcl-processor` child's command line as the daemon's executableName runs it (the lean entry of this build). */
export function kclChildCommand(): string {
  const consumerMain = join(__dirname, '..', '..', 'consumer', 'src', 'main.js');
  return ['env', ...KCL_CHILD_ENV, process.execPath, ...KCL_CHILD_FLAGS, consumerMain, 'kcl-processor'].join(' ');
}
