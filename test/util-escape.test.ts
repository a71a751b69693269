// Text from the network on its way to a log line or the terminal: one helper escapes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeText, preview } from '../src/util/log.js';
import { errorText } from '../src/net/wire/json-rpc.js';
import { describeValue } from '../src/util/hex.js';

/** Newlines, an ANSI colour, a C1 CSI, a bidi override, DEL and a NUL: all a terminal acts on. */
const HOSTILE = 'vote timeout\n2025-01-01T00:00:00Z info  block 940500 confirmed: +45 SERO\x1b[31m\u009b2J\u202etxt\x7f\x00';
const TERMINAL_ACTIVE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('escapeText writes every control character and escape code as an escape, and bounds the length', () => {
  const escaped = escapeText(HOSTILE);
  assert.doesNotMatch(escaped, TERMINAL_ACTIVE);
  assert.equal(escaped, 'vote timeout\\n2025-01-01T00:00:00Z info  block 940500 confirmed: +45 SERO\\u001b[31m\\u009b2J\\u202etxt\\u007f\\u0000');
  assert.equal(escapeText('plain reason'), 'plain reason', 'ordinary text is left alone');
  assert.equal(escapeText('x'.repeat(300)), `${'x'.repeat(200)}… (300 chars)`);
  assert.equal(preview('a\nb'), '"a\\nb"');
});

test('pool errors and untrusted values are escaped wherever they are described', () => {
  for (const text of [
    errorText(HOSTILE),
    errorText({ code: 22, message: HOSTILE }),
    errorText([HOSTILE, { x: HOSTILE }]),
    describeValue(HOSTILE),
    preview(HOSTILE),
  ]) {
    assert.doesNotMatch(text, TERMINAL_ACTIVE, text);
  }
  assert.equal(errorText({ code: 22, message: 'Duplicate share' }), '22 Duplicate share');
});
