// WGSL sources live in kernels/ at the package root. WGSL has no #include, so a kernel is
// the concatenation of its parts, and rendered parts replace `/*{{NAME}}*/` markers.
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

const sources = new Map<string, string>();

export function kernelFile(name: string): string {
  let text = sources.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(findKernelsDir(), name), 'utf8');
    sources.set(name, text);
  }
  return text;
}

/** Concatenate kernel files and fill every marker; a marker left unfilled is an error. */
export function assembleKernel(files: readonly string[], parts: Readonly<Record<string, string>> = {}): string {
  const text = files.map(kernelFile).join('\n');
  return text.replace(/\/\*\{\{([A-Z_]+)\}\}\*\//g, (_, name: string) => {
    const part = parts[name];
    if (part === undefined) throw new Error(`kernel part ${name} was not rendered`);
    return part;
  });
}
