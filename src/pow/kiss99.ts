// KISS99 generator (pow.md 3.2): drives both the period program and each lane's initial mix.
import { FNV_OFFSET, fnv1a } from './fnv.js';

export class Kiss99 {
  constructor(
    public z: number,
    public w: number,
    public jsr: number,
    public jcong: number,
  ) {}

  next(): number {
    this.z = (36969 * (this.z & 0xffff) + (this.z >>> 16)) >>> 0;
    this.w = (18000 * (this.w & 0xffff) + (this.w >>> 16)) >>> 0;
    const mwc = ((this.z << 16) + this.w) >>> 0;
    let jsr = this.jsr;
    jsr ^= jsr << 17;
    jsr ^= jsr >>> 13;
    jsr ^= jsr << 5;
    this.jsr = jsr >>> 0;
    this.jcong = (Math.imul(69069, this.jcong) + 1234567) >>> 0;
    return (((mwc ^ this.jcong) >>> 0) + this.jsr) >>> 0;
  }
}

/** A generator whose z, w, jsr and jcong are the successive FNV-1a states over four words (pow.md 5.2, 5.3). */
export function kiss99FromFnv(a: number, b: number, c: number, d: number): Kiss99 {
  const z = fnv1a(FNV_OFFSET, a);
  const w = fnv1a(z, b);
  const jsr = fnv1a(w, c);
  return new Kiss99(z, w, jsr, fnv1a(jsr, d));
}
