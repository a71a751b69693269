// The WGSL kernel files, read from kernels/ at the package root. The browser bundle puts a
// twin in this module's place that holds the same files as text (src/web/page/platform/).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let kernelsDir: string | undefined;

/** kernels/ is a few levels up from both src/backends/webgpu and dist/src/backends/webgpu. */
function findKernelsDir(): string {
  if (kernelsDir) return kernelsDir;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'kernels');
    if (existsSync(path.join(candidate, 'keccak-f1600.wgsl'))) return (kernelsDir = candidate);
    dir = path.dirname(dir);
  }
  throw new Error('WGSL kernels not found: expected a kernels/ directory at the package root');
}

/** The text of kernels/<name>. */
export function readKernelFile(name: string): string {
  return readFileSync(path.join(findKernelsDir(), name), 'utf8');
}
