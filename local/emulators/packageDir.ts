import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An installed package's directory, found the way `require` looks (so it works from `dist/` too), also for packages
 * whose `exports` hide their package.json and CLI.
 */
export function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(join(dir, name, 'package.json'))) return join(dir, name);
  }
  throw new Error(`${name} is not installed: run npm ci`);
}
