import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PoolUriError, describePoolUri, parsePoolUri } from '../src/net/wire/uri.js';

const ADDR = '2GvyEt9rn2WCGCCTcF1X1Yj7K2JtoHrtPrj4zfjjmgzEhkVhG9KFkpcVZpa7xyKFHpD7BtdbzwS4nwzkXzy6z9rE';

describe('pool URIs (serominer -P syntax)', () => {
  test('stratum1+tcp with address and worker; default password X', () => {
    const uri = parsePoolUri(`stratum1+tcp://${ADDR}.rig01@pool.example:8008`);
    assert.deepEqual(
      { ...uri },
      {
        scheme: 'stratum1+tcp',
        protocol: 'stratum1',
        transport: 'tcp',
        tls12Only: false,
        host: 'pool.example',
        port: 8008,
        user: ADDR,
        worker: 'rig01',
        password: 'X',
        path: '',
        login: ADDR,
      },
    );
  });

  test('transports of every supported scheme', () => {
    const cases: Array<[string, string, string, boolean]> = [
      ['stratum1+tcp', 'stratum1', 'tcp', false],
      ['stratum1+tls', 'stratum1', 'tls', false],
      ['stratum1+tls12', 'stratum1', 'tls', true],
      ['stratum1+ssl', 'stratum1', 'tls', true],
      ['stratum1+ws', 'stratum1', 'ws', false],
      ['stratum1+wss', 'stratum1', 'wss', false],
      ['STRATUM1+TCP', 'stratum1', 'tcp', false],
      ['stratum', 'stratum1', 'tcp', false],
      ['stratums', 'stratum1', 'tls', false],
      ['stratumss', 'stratum1', 'tls', true],
      ['http', 'getwork', 'http', false],
      ['getwork', 'getwork', 'http', false],
    ];
    for (const [scheme, protocol, transport, tls12Only] of cases) {
      const uri = parsePoolUri(`${scheme}://u@127.0.0.1:1`);
      assert.deepEqual([uri.protocol, uri.transport, uri.tls12Only], [protocol, transport, tls12Only], scheme);
    }
  });

  test('password, explicit empty password, user:password without worker', () => {
    assert.deepEqual(pick(parsePoolUri('stratum1+tcp://acct.w1:secret@h:1')), ['acct', 'w1', 'secret']);
    assert.deepEqual(pick(parsePoolUri('stratum1+tcp://acct.w1:@h:1')), ['acct', 'w1', '']);
    assert.deepEqual(pick(parsePoolUri('stratum1+tcp://acct:pw@h:1')), ['acct', undefined, 'pw']);
    assert.deepEqual(pick(parsePoolUri('stratum1+tcp://acct@h:1')), ['acct', undefined, 'X']);
  });

  test('worker is after the last dot; %-encoding, + and backticks', () => {
    assert.deepEqual(pick(parsePoolUri('stratum1+tcp://a.b.c:p@h:1')), ['a.b', 'c', 'p']);
    assert.deepEqual(pick(parsePoolUri('stratum1+tcp://me%40mail.rig:p%3Aw@h:1')), ['me@mail', 'rig', 'p:w']);
    assert.deepEqual(pick(parsePoolUri('stratum1+tcp://a+b.w:x+y@h:1')), ['a b', 'w', 'x y']);
    assert.deepEqual(pick(parsePoolUri('stratum1+tcp://`my.user`.w:`p@ss:1`@h:1')), ['my.user', 'w', 'p@ss:1']);
  });

  test('path: appended to the login for tcp/tls, WS request path for ws, HTTP path for getwork', () => {
    assert.equal(parsePoolUri('stratum1+tcp://acct@h:1/extra').login, 'acct/extra');
    assert.equal(parsePoolUri('stratum1+tcp://acct@h:1/').login, 'acct');
    const ws = parsePoolUri('stratum1+wss://acct.w@h:443/stratum');
    assert.deepEqual([ws.login, ws.path], ['acct', '/stratum']);
    const gw = parsePoolUri(`http://127.0.0.1:9999/${ADDR}/rig01`);
    assert.deepEqual([gw.user, gw.path, gw.login], ['', `/${ADDR}/rig01`, '']);
  });

  test('query and fragment are dropped; IPv6 hosts in brackets', () => {
    assert.equal(parsePoolUri('stratum1+tcp://a@h:1?x=1#frag').port, 1);
    const v6 = parsePoolUri('stratum1+tcp://a@[::1]:3333');
    assert.deepEqual([v6.host, v6.port], ['::1', 3333]);
    assert.equal(describePoolUri(v6), 'stratum1+tcp://a@[::1]:3333');
  });

  test('describePoolUri never shows the password', () => {
    const text = describePoolUri(parsePoolUri('stratum1+ssl://acct.rig:hunter2@pool.example:8443'));
    assert.equal(text, 'stratum1+ssl://acct.rig@pool.example:8443');
  });

  test('bad URIs give a clear PoolUriError', () => {
    const bad: Array<[string, RegExp]> = [
      ['pool.example:8008', /expected scheme:\/\//],
      ['stratum1+tcp://acct@pool.example', /port is mandatory/],
      ['stratum1+tcp://acct@pool.example:0', /out of range/],
      ['stratum1+tcp://acct@pool.example:70000', /out of range/],
      ['stratum1+tcp://acct@pool.example:80a', /not a number/],
      ['stratum1+tcp://pool.example:8008', /needs a login/],
      ['stratum1+tcp://acct.@pool.example:8008', /empty worker/],
      ['stratum1+tcp://acct@:8008', /missing host/],
      ['stratum1+tcp://acct@bad_host!:8008', /not a valid host name/],
      ['stratum1+tcp://acct@[::1:8008', /unterminated/],
      ['stratum+tcp://acct@h:1', /no block height.*stratum1\+tcp/],
      ['stratum2+tcp://acct@h:1', /NiceHash/],
      ['stratum3+tls://acct@h:1', /EthereumStratum\/2\.0\.0/],
      ['https://h:1', /HTTPS is not supported/],
      ['ftp://h:1', /unknown scheme "ftp"/],
    ];
    for (const [text, message] of bad) {
      assert.throws(() => parsePoolUri(text), (err: unknown) => err instanceof PoolUriError && message.test(err.message), text);
    }
  });

  test('the password is masked in error messages', () => {
    assert.throws(() => parsePoolUri('stratum1+tcp://acct:hunter2@pool.example'), (err: Error) => !err.message.includes('hunter2') && err.message.includes('***'));
  });
});

function pick(uri: { user: string; worker: string | undefined; password: string }): [string, string | undefined, string] {
  return [uri.user, uri.worker, uri.password];
}
