// The PoW constants of kernel-constants.ts as module-scope WGSL `const`s: compile-time
// constants, exactly as if written in the kernel.
import { POW_KERNEL_CONSTANTS, u32Literal } from '../kernel-constants.js';

/** The `/*{{POW_CONSTANTS}}*\/` part of progpow-common.wgsl and dag-build.wgsl. */
export function renderPowConstants(): string {
  return Object.entries(POW_KERNEL_CONSTANTS).map(([name, value]) => `const ${name}: u32 = ${u32Literal(value)}u;`).join('\n');
}
