// WGSL sources live in kernels/ at the package root. WGSL has no #include, so a kernel is
// the concatenation of its parts, and rendered parts replace `/*{{NAME}}*/` markers.
import { readKernelFile } from './kernel-files.js';

const sources = new Map<string, string>();

export function kernelFile(name: string): string {
  let text = sources.get(name);
  if (text === undefined) {
    text = readKernelFile(name);
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
