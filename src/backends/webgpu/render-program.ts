// A period's ProgPoW program rendered as straight-line WGSL. The math (sel % 11) and merge
// (sel % 4) choices and the merge rotation are resolved here from the program data, exactly
// as pow.md 5.1 defines them, so the kernel carries no selector logic at all.
import { PROGPOW_DAG_LOADS, type ProgpowProgram } from '../../pow/progpow-program.js';

/**
 * How progpow_round reaches its lane's registers. Core WGSL passes only pointers to whole
 * variables, so a lane inside an array of lanes comes as the array and the lane's index: a
 * pointer to the element itself needs the `unrestricted_pointer_parameters` language feature,
 * which Firefox's WebGPU (wgpu) does not have (it crashes on it rather than refusing it).
 * 'lane': `progpow_round(&mix_0, data)`; 'lanes': `progpow_round(&mix, k, data)` over
 * `array<array<u32, PROGPOW_REGS>, LANES_PER_THREAD>`.
 */
export type RoundLanes = 'lane' | 'lanes';

/** WGSL for math(a, b, sel). */
export function renderMath(a: string, b: string, sel: number): string {
  switch (sel % 11) {
    case 0: return `(${a} + ${b})`;
    case 1: return `(${a} * ${b})`;
    case 2: return `mul_hi(${a}, ${b})`;
    case 3: return `min(${a}, ${b})`;
    case 4: return `rotl32(${a}, ${b})`;
    case 5: return `rotr32(${a}, ${b})`;
    case 6: return `(${a} & ${b})`;
    case 7: return `(${a} | ${b})`;
    case 8: return `(${a} ^ ${b})`;
    case 9: return `(countLeadingZeros(${a}) + countLeadingZeros(${b}))`;
    default: return `(countOneBits(${a}) + countOneBits(${b}))`;
  }
}

/** WGSL for merge(a, b, sel): the new value of a. */
export function renderMerge(a: string, b: string, sel: number): string {
  const x = ((sel >>> 16) % 31) + 1;
  switch (sel % 4) {
    case 0: return `(${a} * 33u + ${b})`;
    case 1: return `((${a} ^ ${b}) * 33u)`;
    case 2: return `(rotl32(${a}, ${x}u) ^ ${b})`;
    default: return `(rotr32(${a}, ${x}u) ^ ${b})`;
  }
}

/**
 * `fn progpow_round(mix, [lane,] data)`: one of the 64 loop iterations for one lane, its 32
 * operations in program order followed by the merge of its four DAG words.
 */
export function renderProgramRound(program: ProgpowProgram, lanes: RoundLanes): string {
  const reg = lanes === 'lane' ? (i: number) => `(*mix)[${i}]` : (i: number) => `(*mix)[lane][${i}]`;
  const params = lanes === 'lane'
    ? 'mix: ptr<function, array<u32, PROGPOW_REGS>>, data: vec4<u32>'
    : 'mix: ptr<function, array<array<u32, PROGPOW_REGS>, LANES_PER_THREAD>>, lane: u32, data: vec4<u32>';
  const lines = [
    `// ProgPoW period ${program.period}: one loop iteration for one lane.`,
    `fn progpow_round(${params}) {`,
  ];
  for (const op of program.ops) {
    if (op.kind === 'cache') {
      lines.push(`  ${reg(op.dst)} = ${renderMerge(reg(op.dst), `c_dag[${reg(op.src)} % PROGPOW_CACHE_WORDS]`, op.sel)};`);
    } else {
      lines.push(`  ${reg(op.dst)} = ${renderMerge(reg(op.dst), renderMath(reg(op.src1), reg(op.src2), op.sel1), op.sel2)};`);
    }
  }
  // The kernel loads each lane's DAG words as one vec4.
  const component = ['x', 'y', 'z', 'w'];
  if (PROGPOW_DAG_LOADS !== component.length) throw new Error(`the kernels load ${component.length} DAG words per lane, not ${PROGPOW_DAG_LOADS}`);
  program.dagDst.forEach((dst, i) => {
    lines.push(`  ${reg(dst)} = ${renderMerge(reg(dst), `data.${component[i]}`, program.dagSel[i]!)};`);
  });
  lines.push('}');
  return lines.join('\n');
}
