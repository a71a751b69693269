// The reference vectors: the repository's copy against the shared original.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { SHARED_VECTORS_FILE, VECTORS_FILE } from './support/vectors.js';

const shared = existsSync(SHARED_VECTORS_FILE);

test('test/vectors/pow-vectors.json is a byte-exact copy of ../shared/vectors/', { skip: shared ? false : `${SHARED_VECTORS_FILE} is not there` }, () => {
  assert.ok(readFileSync(VECTORS_FILE).equals(readFileSync(SHARED_VECTORS_FILE)), `copy ${VECTORS_FILE} from ${SHARED_VECTORS_FILE}`);
});
