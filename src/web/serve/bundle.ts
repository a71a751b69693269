// Bundles the browser page with esbuild: the page (src/web/page) and the WASM worker
// (backends/wasm/worker.ts) from the same TypeScript sources the command line runs, with the
// Node-only modules swapped as page/platform/twins.ts lists, the WGSL kernels as text, and the
// static files and progpow.wasm beside them in build/web/.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { BROWSER_TWINS, NODE_ONLY_PACKAGES, NODE_SHIMS } from '../page/platform/twins.js';
import { packageRoot, WEB_BUILD_DIR } from './paths.js';

/** Namespace of the stubs standing in for Node-only modules (metafile inputs read "unavailable:<name>"). */
export const UNAVAILABLE = 'unavailable';
/** Namespace of Node built-ins with a browser version (platform/node/). */
export const SHIM = 'shim';
const KERNEL_TEXTS = 'sero:kernel-texts';
const STATIC_DIR = path.join('src', 'web', 'page', 'static');
/** This file's folder in the sources; dist/ mirrors it. */
const OWN_DIR = path.join('src', 'web', 'serve');
const POW_WASM = path.join('build', 'progpow.wasm');

export interface PageBundleOptions {
  /** Package root (default: found from this file). */
  readonly root?: string;
  /** Output directory (default: <root>/build/web). */
  readonly outdir?: string;
  /** false keeps everything in memory (for checks); default true. */
  readonly write?: boolean;
}

export interface PageBundle {
  readonly metafile: esbuild.Metafile;
  /** Files in the output directory (or, not written, the bundle's outputs). */
  readonly files: string[];
}

function kernelTextsModule(root: string): string {
  const dir = path.join(root, 'kernels');
  const texts: Record<string, string> = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.wgsl')).sort()) texts[name] = readFileSync(path.join(dir, name), 'utf8');
  return `export default ${JSON.stringify(texts)};`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Export names of a Node built-in or of ws (native packages are never loaded here). */
async function nodeExports(name: string): Promise<string[]> {
  if (!name.startsWith('node:') && name !== 'ws') return [];
  return Object.keys(await import(name)).filter((n) => n !== 'default' && IDENTIFIER.test(n));
}

function failingExports(module: string, names: readonly string[]): string[] {
  return [
    `const fail = (what) => function unavailable() { throw new Error(what + ' is not available in a browser'); };`,
    ...names.map((n) => `export const ${n} = fail(${JSON.stringify(`${module} ${n}`)});`),
  ];
}

/** A module whose every export throws, naming itself, when called. */
async function unavailableModule(name: string): Promise<string> {
  return [
    ...failingExports(name, await nodeExports(name)),
    `export default new Proxy({}, { get: (_, key) => fail(${JSON.stringify(name)} + ' ' + String(key)) });`,
  ].join('\n');
}

/** A browser version of a Node built-in: the shim's exports, and failing ones for the rest. */
async function shimModule(name: string, shimFile: string): Promise<string> {
  // the shim as compiled to dist/ with this file (dist/src/web/...) tells which names it provides
  const compiled = path.join(path.dirname(fileURLToPath(import.meta.url)), path.relative(OWN_DIR, shimFile).replace(/\.ts$/, '.js'));
  const provided = new Set(Object.keys(await import(pathToFileURL(compiled).href)));
  const missing = (await nodeExports(name)).filter((n) => !provided.has(n));
  const from = JSON.stringify(`./${shimFile}`);
  return [`export * from ${from};`, `export { default } from ${from};`, ...failingExports(name, missing)].join('\n');
}

function pagePlugin(root: string): esbuild.Plugin {
  const twins = new Map(Object.entries(BROWSER_TWINS).map(([node, browser]) => [path.join(root, node), path.join(root, browser)]));
  return {
    name: 'sero-page',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const twin = twins.get(path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
        return twin ? { path: twin } : undefined;
      });
      build.onResolve({ filter: /^sero:kernel-texts$/ }, () => ({ path: KERNEL_TEXTS, namespace: 'sero' }));
      build.onLoad({ filter: /.*/, namespace: 'sero' }, () => ({ contents: kernelTextsModule(root), loader: 'js' }));
      build.onResolve({ filter: /^(node:|[a-z@])/ }, async (args) => {
        const shim = NODE_SHIMS[args.path];
        if (shim?.startsWith('src/')) return { path: args.path, namespace: SHIM };
        if (shim) return build.resolve(shim, { kind: args.kind, resolveDir: root });
        if (args.path.startsWith('node:') || NODE_ONLY_PACKAGES.includes(args.path)) return { path: args.path, namespace: UNAVAILABLE };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: SHIM }, async (args) => ({
        contents: await shimModule(args.path, NODE_SHIMS[args.path]!),
        loader: 'js',
        resolveDir: root,
      }));
      build.onLoad({ filter: /.*/, namespace: UNAVAILABLE }, async (args) => ({ contents: await unavailableModule(args.path), loader: 'js' }));
    },
  };
}

export async function bundlePage(options: PageBundleOptions = {}): Promise<PageBundle> {
  const root = options.root ?? packageRoot();
  const outdir = options.outdir ?? path.join(root, WEB_BUILD_DIR);
  const write = options.write ?? true;
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'src/web/page/main.ts', 'pow-worker': 'src/backends/wasm/worker.ts' },
    outdir,
    write,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // WebGPU itself needs Chrome 113 / Safari 26 / Firefox 141; the code needs top-level await and BigInt
    target: 'es2022',
    minify: true,
    keepNames: true,
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [pagePlugin(root)],
  });
  if (!write) return { metafile: result.metafile, files: (result.outputFiles ?? []).map((f) => path.relative(outdir, f.path)) };
  mkdirSync(outdir, { recursive: true });
  const wasm = path.join(root, POW_WASM);
  if (!existsSync(wasm)) throw new Error(`${POW_WASM} is missing: run "npm run build:wasm" before bundling the page`);
  copyFileSync(wasm, path.join(outdir, 'progpow.wasm'));
  for (const name of readdirSync(path.join(root, STATIC_DIR))) copyFileSync(path.join(root, STATIC_DIR, name), path.join(outdir, name));
  return { metafile: result.metafile, files: readdirSync(outdir).sort() };
}
