// The browser page's bundle: what it takes from src/ stays free of Node-only APIs except on
// the paths the page never takes, and every Node module with a browser twin is swapped out.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { bundlePage, SHIM, UNAVAILABLE } from '../src/web/serve/bundle.js';
import { packageRoot } from '../src/web/serve/paths.js';
import { BROWSER_TWINS } from '../src/web/page/platform/twins.js';

const root = packageRoot();

/**
 * Node-only modules the page bundle holds only as stubs that throw, and the files allowed to
 * import them: each import sits on a path the page never takes (a file journal, a DAG file
 * cache, JSON-RPC over HTTP to a getwork pool or a node). Node's TCP, TLS and ws connectors stay
 * out of the bundle altogether.
 */
const NODE_ONLY_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  'node:fs': ['src/miner/journal.ts'],
  'node:fs/promises': ['src/backends/wasm/dag-file.ts'],
  'node:path': ['src/miner/journal.ts', 'src/miner/reward-ledger.ts', 'src/backends/wasm/dag-file.ts'],
  'node:http': ['src/net/wire/json-rpc-http.ts'],
  'node:https': ['src/net/wire/json-rpc-http.ts'],
};

/** Bundled files that use Node globals, only on those same paths (Node sockets, getwork, the DAG file cache, the stderr logger). */
const NODE_GLOBAL_USERS = new Set(['src/net/wire/socket-channels.ts', 'src/net/wire/json-rpc-http.ts', 'src/backends/wasm/dag-file.ts', 'src/util/log.ts']);
const NODE_GLOBALS = /\.unref\(\)|\bsetImmediate\(|\bprocess\.|\bBuffer\s*[.(]|\brequire\(/;

const stripComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

test('the page bundle swaps every twinned module and reaches Node-only modules only on Node paths', async () => {
  const { metafile, files } = await bundlePage({ root, write: false });
  assert.deepEqual(files.filter((f) => f.endsWith('.js')).sort(), ['main.js', 'pow-worker.js']);
  const inputs = Object.keys(metafile.inputs);

  for (const [node, browser] of Object.entries(BROWSER_TWINS)) {
    assert.ok(!inputs.includes(node), `${node} is in the page bundle instead of its twin ${browser}`);
    assert.ok(inputs.includes(browser), `the twin ${browser} is not in the page bundle`);
  }

  const stubbed = new Map<string, string[]>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const { path: target } of input.imports) {
      if (!target.startsWith(`${UNAVAILABLE}:`)) continue;
      const name = target.slice(UNAVAILABLE.length + 1);
      stubbed.set(name, [...(stubbed.get(name) ?? []), file]);
    }
  }
  for (const [name, importers] of stubbed) {
    for (const file of importers) {
      assert.ok(NODE_ONLY_IMPORTS[name]?.includes(file), `${file} imports ${name}, which the page only has as a stub that throws: give it a browser twin (src/web/page/platform/twins.ts) or keep it off the page's path`);
    }
  }
  const stale = Object.entries(NODE_ONLY_IMPORTS).flatMap(([name, files]) => files.filter((file) => !stubbed.get(name)?.includes(file)).map((file) => `${file} -> ${name}`));
  assert.deepEqual(stale, [], 'allowed Node-only imports the page bundle no longer has: drop them from the list');
  assert.ok(inputs.includes(`${SHIM}:node:crypto`), 'node:crypto comes from its browser version');

  const sources = inputs.filter((f) => f.startsWith('src/') && f.endsWith('.ts'));
  assert.ok(sources.length > 60, `expected the miner's sources in the bundle, got ${sources.length}`);
  const offenders = sources.flatMap((file) => {
    const match = NODE_GLOBAL_USERS.has(file) ? null : NODE_GLOBALS.exec(stripComments(readFileSync(path.join(root, file), 'utf8')));
    return match ? [`${file}: ${match[0]}`] : [];
  });
  assert.deepEqual(offenders, [], 'Node globals in the page bundle, which browsers lack (use util/timers.ts unrefTimer, util/bytes.ts, or a twin)');
});
