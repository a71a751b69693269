// The PoW constants of kernel-constants.ts as module-scope WGSL `const`s: compile-time
// constants, exactly as if written in the kernel. A 64-bit Keccak constant is a
// vec2<u32>(low word, high word), as keccak-f1600.wgsl holds its lanes (WGSL has no u64).
import { hexLiteral, KECCAK_TABLES, POW_KERNEL_CONSTANTS, u32Literal } from '../kernel-constants.js';

const LOW = 0xffffffffn;

function wgslTables(): string[] {
  const { KECCAK_F800_RC, KECCAK_F1600_RC } = KECCAK_TABLES;
  const f800 = KECCAK_F800_RC.map((rc) => `  ${hexLiteral(rc, 8)}u`);
  const f1600 = KECCAK_F1600_RC.map((rc) => `  vec2<u32>(${hexLiteral(rc & LOW, 8)}u, ${hexLiteral(rc >> 32n, 8)}u)`);
  return [
    `const KECCAK_F800_RC = array<u32, ${f800.length}>(\n${f800.join(',\n')}\n);`,
    `const KECCAK_F1600_RC = array<vec2<u32>, ${f1600.length}>(\n${f1600.join(',\n')}\n);`,
  ];
}

/** The `/*{{POW_CONSTANTS}}*\/` part of progpow-common.wgsl and dag-build.wgsl. */
export function renderPowConstants(): string {
  return [...Object.entries(POW_KERNEL_CONSTANTS).map(([name, value]) => `const ${name}: u32 = ${u32Literal(value)}u;`), ...wgslTables()].join('\n');
}
