// Modules the page bundler generates at build time (src/web/serve/bundle.ts).
declare module 'sero:kernel-texts' {
  /** Every kernels/*.wgsl file by name. */
  const texts: Readonly<Record<string, string>>;
  export default texts;
}
