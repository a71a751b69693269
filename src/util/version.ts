// The miner's name and version, read once from package.json (the one place the version lives).
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const VERSION: string = pkg.version;
/** What the API reports as the miner, like serominer's "serominer-0.18.0". */
export const NAME_WITH_VERSION = `${pkg.name}-${pkg.version}`;
