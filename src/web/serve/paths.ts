// Where the built page lives: build/web under the package root.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the page is built, from the package root. */
export const WEB_BUILD_DIR = path.join('build', 'web');

/** The package root: the nearest directory above this file with package.json and kernels/. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'kernels')))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package root not found above src/web/serve');
    dir = parent;
  }
  return dir;
}
