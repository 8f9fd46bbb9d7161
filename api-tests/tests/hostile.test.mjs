// Hostile and odd input: the server answers 200 or a clean 4xx problem, never crashes, and
// still answers /healthz afterwards.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertAlive, checkResponse, diagnose, get, post, rawExchange, repoRoot, startServer,
} from '../lib/server.mjs';

const MiB = 1024 * 1024;
const D = '/api/v1/diagnose?checks=none';
let server;
// Takes bodies of 2 MiB: a bounce line and then 1 MiB of something.
let big;
before(async () => {
  server = await startServer();
  big = await startServer({ args: ['--max-body', String(2 * MiB)] });
});
after(async () => {
  for (const s of [server, big]) if (s && !s.exitStatus()) await s.stop().catch(() => {});
});

/** Deterministic pseudo-random bytes (xorshift32), so that a failure can be replayed. */
function randomBytes(n, seed = 0x9e3779b9) {
  const buf = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    buf[i] = x & 0xff;
  }
  return buf;
}

/** 200 or a clean 4xx problem, valid per openapi.yaml; then the server must still be up. */
async function assertSurvives(res) {
  assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `expected 200 or a 4xx: ${res.describe()}`);
  if (res.status !== 200) assert.equal(res.mediaType, 'application/problem+json', res.describe());
  checkResponse(res, '/api/v1/diagnose');
  await assertAlive(server);
}

test('1 MiB of random bytes as text/plain', async () => {
  await assertSurvives(await post(server.url, D, randomBytes(MiB), { 'Content-Type': 'text/plain' }));
});

test('1 MiB of random bytes as application/json', async () => {
  await assertSurvives(await post(server.url, D, randomBytes(MiB, 12345), { 'Content-Type': 'application/json' }));
});

test('1 MiB of NULs as text/plain', async () => {
  await assertSurvives(await post(server.url, D, Buffer.alloc(MiB, 0), { 'Content-Type': 'text/plain' }));
});

test('1 MiB of NULs as application/json', async () => {
  await assertSurvives(await post(server.url, D, Buffer.alloc(MiB, 0), { 'Content-Type': 'application/json' }));
});

test('a JSON text of 1 MiB of \\u0000 escapes and invalid surrogates', async () => {
  const body = `{"text":"550 5.1.1 user unknown ${'\\u0000\\ud800'.repeat(Math.floor((MiB - 64) / 12))}"}`;
  await assertSurvives(await post(server.url, D, Buffer.from(body), { 'Content-Type': 'application/json' }));
});

test('deeply nested JSON', async () => {
  const depth = 100000;
  await assertSurvives(await post(server.url, D, Buffer.from('['.repeat(depth) + ']'.repeat(depth)), { 'Content-Type': 'application/json' }));
});

test('10,000 lines of text', async () => {
  const lines = ['550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown'];
  for (let i = 1; i < 10000; i++) lines.push(`Line ${i} of a very long bounce with some filler words in it.`);
  const text = `${lines.join('\n')}\n`;
  const res = await post(server.url, D, text);
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  const d = res.json;
  assert.ok(d.input.lines >= 10000 && d.input.lines <= 10001, `input.lines = ${d.input.lines}`);
  assert.equal(d.results[0].reason, 'userunknown');
  assert.ok(d.results[0].diagnostic.length <= 2000, `diagnostic is ${d.results[0].diagnostic.length} characters (at most 2000)`);
  await assertAlive(server);
});

test('10,000 lines, each with another IP address and e-mail address', async () => {
  const lines = ['550 5.1.1 user unknown'];
  for (let i = 1; i < 10000; i++) lines.push(`from 10.${(i >> 8) & 255}.${i & 255}.1 <user${i}@host${i}.example> via mx${i}.example.net`);
  const res = await post(server.url, D, lines.join('\n'));
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  await assertAlive(server);
});

test('one 1 MiB line without spaces (pattern matching stays bounded)', async () => {
  const started = Date.now();
  const res = await post(server.url, D, `550 ${'a'.repeat(MiB - 4)}`);
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms`);
  await assertAlive(server);
});

test('invalid UTF-8 is repaired: 200, repaired_utf8, userunknown', async () => {
  const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(' 550 5.1.1 user unknown '), Buffer.from([0xc3])]);
  const res = await post(server.url, D, body, { 'Content-Type': 'text/plain' });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  const d = res.json;
  assert.ok(d.anomalies.includes('repaired_utf8'), `anomalies: ${JSON.stringify(d.anomalies)}`);
  assert.equal(d.results[0].reason, 'userunknown');
  // The answer itself is valid UTF-8 (the bad bytes became U+FFFD).
  assert.equal(Buffer.from(res.body.toString('utf8'), 'utf8').equals(res.body), true, 'the response is not valid UTF-8');
});

test('invalid UTF-8 inside a JSON string is 200 with repaired_utf8 or 400 invalid-json', async () => {
  const body = Buffer.concat([Buffer.from('{"text":"550 5.1.1 user unknown '), Buffer.from([0xff, 0xc3]), Buffer.from('"}')]);
  const res = await post(server.url, D, body, { 'Content-Type': 'application/json' });
  if (res.status === 200) {
    checkResponse(res);
    assert.ok(res.json.anomalies.includes('repaired_utf8'), `anomalies: ${JSON.stringify(res.json.anomalies)}`);
  } else {
    assert.equal(res.status, 400, res.describe());
    assert.equal(res.json.code, 'invalid-json', res.describe());
    checkResponse(res, '/api/v1/diagnose');
  }
  await assertAlive(server);
});

test('path traversal does not leave static/', async () => {
  const makefile = readFileSync(path.join(repoRoot, 'Makefile'));
  const probes = [
    '/../Makefile', '/..%2fMakefile', '/%2e%2e/Makefile', '/%2E%2E%2FMakefile', '/.%2e/Makefile',
    '/app.js/../../Makefile', '/static/../Makefile', '/..\\Makefile', '/....//Makefile',
    '/../../../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '//etc/passwd',
    '/%00../Makefile', '/app.js%00.css',
  ];
  const problems = [];
  for (const p of probes) {
    const res = await get(server.url, p);
    if (res.body.equals(makefile)) problems.push(`GET ${p} served the repository's Makefile`);
    else if (/root:[^:\n]*:0:0:/.test(res.text)) problems.push(`GET ${p} served /etc/passwd`);
    else if (!(res.status >= 400 && res.status < 500)) {
      problems.push(`GET ${p} -> ${res.status} ${res.contentType} (${res.body.length} bytes: ${JSON.stringify(res.text.slice(0, 60))})`);
    }
  }
  await assertAlive(server);
  assert.deepEqual(problems, [], 'paths outside the served files must be refused');
});

test('malformed requests get a clean 4xx or a closed connection', async () => {
  const hostile = [
    'GARBAGE\r\n\r\n',
    'GET\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
    'POST /api/v1/diagnose?checks=none HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: -1\r\n\r\n550',
    'POST /api/v1/diagnose?checks=none HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: abc\r\n\r\n550',
    'POST /api/v1/diagnose?checks=none HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 99999999999999999999999\r\n\r\n550',
    'POST /api/v1/diagnose?checks=none HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\n550 x',
    `GET /${'a'.repeat(100000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(100000)}\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 5000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`,
  ];
  // Invalid, but lenient parsers may serve them: any answer but a 5xx will do.
  const tolerated = [
    'GET /healthz HTTP/1.1\r\nHost: x\r\n\0\0\0\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Nul: a\0b\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bin: \xff\xfe\x01\r\n\r\n',
  ];
  const problems = [];
  const probe = async (raw, okStatus) => {
    const r = await rawExchange(server.port, Buffer.from(raw, 'latin1'), { timeout: 3000 });
    const label = JSON.stringify(raw.length > 240 ? `${raw.slice(0, 120)}...(${raw.length} bytes)` : raw);
    if (r.timedOut && r.status === null) problems.push(`${label}: no answer, and the connection stayed open for 3 s`);
    else if (r.status !== null && !okStatus(r.status)) problems.push(`${label}: answered ${r.data.toString('latin1').split('\r\n')[0]}`);
    await assertAlive(server);
  };
  for (const raw of tolerated) await probe(raw, (st) => st < 500);
  // 4xx; 505 HTTP Version Not Supported is fine too.
  for (const raw of hostile) await probe(raw, (st) => (st >= 400 && st < 500) || st === 505);
  assert.deepEqual(problems, [], 'malformed requests not refused cleanly');
});

// One thread serves every request: a diagnosis that takes long makes everyone wait. Text
// full of URLs, addresses and names is read in linear time, however it repeats itself.
const SLOW_MS = 2000;
const BOUNCE_LINE = '550 5.1.1 <user@example.com>: Recipient address rejected: User unknown\n';

/** unit repeated to n bytes */
function repeatTo(unit, n) {
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

/**
 * POST body as text/plain to the 2 MiB server and, while it is being diagnosed, GET /healthz:
 * both are answered within SLOW_MS, the answer is valid per openapi.yaml and diagnoses the bounce
 * line. Returns the answer.
 */
async function diagnoseQuickly(body) {
  const started = Date.now();
  const pending = post(big.url, D, body, { 'Content-Type': 'text/plain' }, { timeout: 60000 })
    .then((res) => ({ res, ms: Date.now() - started }));
  await new Promise((resolve) => { setTimeout(resolve, 50); });
  const healthStarted = Date.now();
  const health = await get(big.url, '/healthz', {}, { timeout: 60000 });
  const healthMs = Date.now() - healthStarted;
  const { res, ms } = await pending;
  assert.equal(res.status, 200, res.describe());
  assert.ok(ms < SLOW_MS, `the diagnosis of ${body.length} bytes took ${ms} ms (at most ${SLOW_MS})`);
  assert.equal(health.status, 200, health.describe());
  assert.ok(healthMs < SLOW_MS, `GET /healthz waited ${healthMs} ms meanwhile (at most ${SLOW_MS})`);
  checkResponse(res);
  await assertAlive(big);
  const e = res.json.entities;
  for (const k of ['ips', 'domains', 'emails', 'hosts', 'blocklists', 'urls']) {
    assert.ok(e[k].length <= 64, `entities.${k} has ${e[k].length} entries (at most 64)`);
  }
  return res.json;
}

test('a bounce line and 1 MiB of "http://": answered in well under a second, /healthz meanwhile', async () => {
  const d = await diagnoseQuickly(Buffer.from(BOUNCE_LINE + repeatTo('http://', MiB)));
  assert.equal(d.results[0].reason, 'userunknown');
  assert.equal(d.results[0].recipient, 'user@example.com');
  assert.deepEqual(d.entities.emails, ['user@example.com']);
  // One URL as long as the text looked at: too long to be one, and the answer says so.
  assert.deepEqual(d.entities.urls, []);
  assert.ok(d.anomalies.includes('entity_too_long'), `anomalies: ${JSON.stringify(d.anomalies)}`);
  assert.ok(d.anomalies.includes('text_truncated'), `anomalies: ${JSON.stringify(d.anomalies)}`);
});

test('a bounce line and 1 MiB of "https://" and of URLs in URLs: answered quickly', async () => {
  for (const unit of ['https://', 'http://a.example/?u=https://b.example/http://']) {
    const d = await diagnoseQuickly(Buffer.from(BOUNCE_LINE + repeatTo(unit, MiB)));
    assert.equal(d.results[0].reason, 'userunknown', unit);
  }
});

test('a bounce line and 1 MiB of URLs, addresses, names and IPs mixed: answered quickly, lists bounded', async () => {
  const unit = 'https://a.example/r?u=http://b.example/http://c.example/&to=x@d.example '
    + 'www.e.example/http:// <f@g.example> 192.0.2.1 [2001:db8::1] h.example:25 '
    + 'blocked using zen.spamhaus.org; host mx.i.example[198.51.100.7] a.a.a.a.a::: ';
  const d = await diagnoseQuickly(Buffer.from(BOUNCE_LINE + repeatTo(unit, MiB)));
  assert.equal(d.results[0].recipient, 'user@example.com');
  assert.ok(d.entities.urls.includes('https://a.example/r?u=http://b.example/http://c.example/&to=x@d.example'),
    `urls: ${JSON.stringify(d.entities.urls)}`);
  assert.ok(!d.entities.urls.includes('http://b.example/http://c.example/&to=x@d.example'),
    'a URL inside a URL is no URL of its own');
  assert.ok(d.entities.emails.includes('x@d.example') && d.entities.emails.includes('f@g.example'),
    `emails: ${JSON.stringify(d.entities.emails)}`);
  assert.ok(d.entities.blocklists.includes('zen.spamhaus.org'), `blocklists: ${JSON.stringify(d.entities.blocklists)}`);
});

test('a DSN of 256 failures for one address, whose prose is full of "@": answered quickly', async () => {
  const dsn = Array.from({ length: 256 }, () => 'Final-Recipient: rfc822; a@x.example\nAction: failed\nStatus: 5.1.1\n').join('\n');
  const msg = 'From: MAILER-DAEMON@example.org\nTo: s@example.net\nSubject: Undelivered Mail\n'
    + 'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
    + '--B\nContent-Type: text/plain\n\n<a@x.example>: host mx.x.example said: 550 5.1.1 unknown\n'
    + `${repeatTo('@!', 64 * 1024)}\n`
    + `--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n${dsn}\n--B--\n`;
  const d = await diagnoseQuickly(Buffer.from(msg));
  assert.equal(d.input.format, 'dsn');
  assert.equal(d.results.length, 256);
  assert.equal(d.results[0].recipient, 'a@x.example');
});

test('the server still diagnoses normally after all of it', async () => {
  const res = await diagnose(server.url, '550 No Such User Here');
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.json.results[0].reason, 'userunknown');
});

test('clean SIGTERM shutdown: exit code 0', async () => {
  const st = await server.stop();
  assert.equal(st.code, 0);
});
