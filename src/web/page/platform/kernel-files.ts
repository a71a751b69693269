// Browser twin of backends/webgpu/kernel-files.ts: the WGSL kernel files, bundled as text
// (the bundler generates `sero:kernel-texts` from kernels/*.wgsl).
import texts from 'sero:kernel-texts';

/** The text of kernels/<name>. */
export function readKernelFile(name: string): string {
  const text = texts[name];
  if (text === undefined) throw new Error(`WGSL kernel ${name} is not in the page bundle`);
  return text;
}
