// KISS99 generator (pow.md 3.2): drives both the period program and each lane's initial mix.
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
