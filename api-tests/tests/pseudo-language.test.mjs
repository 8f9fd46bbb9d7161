// Every sentence comes from the catalogs: a pseudo-language made from `bouncedoc texts export`
// (each text wrapped in ⟦ ⟧, its letters swapped for accented ones, placeholders kept) is saved
// as rules/lang/xx.json in a copy of rules/ and served with --rules pointing at that copy. Then
// every human-readable field of /api/v1/diagnose (checks.spf included), /api/v1/spf, the page's
// texts and every kind of error answer under ?lang=xx must carry the marks, and no English word
// may be left once the data the answer itself reports (domains, addresses, records, terms,
// quoted server text) is taken out. A sentence still written in code, or an argument that is
// English text instead of a message, fails here with the field and the word.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertSaid, pseudoRules } from '../lib/pseudo.mjs';
import {
  binaryPath, checkResponse, get, post, rawExchange, repoRoot, request, startDnsFixture, startServer,
} from '../lib/server.mjs';

const GOLDEN = path.join(repoRoot, 'server', 'tests', 'golden');

// ---------------------------------------------------------------------------------------------
// The server with the pseudo-language, on the golden DNS data plus SPF records of every kind

/** More SPF data than the golden answers need: each kind of record the evaluator explains. */
const MORE_NAMES = {
  'syntax-ip.example': [{ TXT: 'v=spf1 ip4:198.51.100.300 -all' }],
  'syntax-cidr.example': [{ TXT: 'v=spf1 ip4:198.51.100.0/33 -all' }],
  'syntax-ip6.example': [{ TXT: 'v=spf1 ip6:2001:db8::g/48 -all' }],
  'syntax-unknown.example': [{ TXT: 'v=spf1 ipv4:198.51.100.1 -all' }],
  'syntax-macro.example': [{ TXT: 'v=spf1 exists:%{z}.example -all' }],
  'syntax-macro2.example': [{ TXT: 'v=spf1 include:%{d -all' }],
  'syntax-twice.example': [{ TXT: 'v=spf1 redirect=a.example redirect=b.example' }],
  'syntax-all.example': [{ TXT: 'v=spf1 all:example.com' }],
  'syntax-domain.example': [{ TXT: 'v=spf1 a:example..com -all' }],
  'syntax-ctl.example': [{ TXT: 'v=spf1 ip4:198.51.100.1\u0001 -all' }],
  'syntax-modifier.example': [{ TXT: 'v=spf1 foo=%{q} -all' }],
  'syntax-ptr.example': [{ TXT: 'v=spf1 ptr/24 -all' }],
  'redirect.example': [{ TXT: 'v=spf1 redirect=softfail.example' }],
  'redirect-none.example': [{ TXT: 'v=spf1 redirect=nospf.example' }],
  'loop.example': [{ TXT: 'v=spf1 include:loop.example -all' }],
  'voids.example': [{ TXT: 'v=spf1 a:v1.nx.example a:v2.nx.example a:v3.nx.example -all' }],
  'a-mx.example': [{ TXT: 'v=spf1 a mx a:mx.example.org/24 -all' }, { A: '192.0.2.99' }],
  'exists.example': [{ TXT: 'v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all' }],
  'explained-bad.example': [{ TXT: 'v=spf1 -all exp=%{z}' }],
  'explained-none.example': [{ TXT: 'v=spf1 -all exp=nowhere.nx.example' }],
  'pass.example': [{ TXT: 'v=spf1 ip4:192.0.2.0/24 -all' }],
  'plusall.example': [{ TXT: 'v=spf1 +all' }],
  'noall.example': [{ TXT: 'v=spf1 ip4:198.51.100.1' }],
  'ptr.example': [{ TXT: 'v=spf1 ptr -all' }],
  'many-mx.example': [
    { TXT: 'v=spf1 mx -all' },
    ...Array.from({ length: 11 }, (_, i) => ({ MX: [10 + i, `mx${i}.many-mx.example`] })),
  ],
};

/** The /api/v1/spf questions asked: every domain above, with and without a sender. */
function spfQueries(zone) {
  const qs = [];
  for (const name of Object.keys(zone.names)) {
    const txt = zone.names[name].some((r) => typeof r.TXT === 'string' && r.TXT.startsWith('v=spf1'));
    if (!txt) continue;
    qs.push({ ip: '192.0.2.7', domain: name });
    qs.push({ ip: '203.0.113.50', sender: `"a b"@${name}` });
  }
  qs.push({ ip: '2001:db8:2::25', domain: 'ip6.example' });
  qs.push({ ip: '192.0.2.7', domain: 'nx.nowhere.example' });
  qs.push({ ip: '192.0.2.7', helo: 'mail.example.com' });
  qs.push({ ip: '192.0.2.66', sender: 'postmaster@example.com' });
  return qs;
}

let tmp;
let server;
let zone;

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'bouncedoc-pseudo-'));
  const { rules: dir } = pseudoRules(tmp);

  const chk = spawnSync(binaryPath, ['texts', 'check', 'xx', '--rules', dir], { cwd: repoRoot, encoding: 'utf8', timeout: 10_000 });
  assert.equal(chk.status, 0, `the pseudo-language is complete:\n${chk.stdout}${chk.stderr}`);

  zone = JSON.parse(readFileSync(path.join(GOLDEN, 'zone.json'), 'utf8'));
  Object.assign(zone.names, MORE_NAMES);
  const fixture = await startDnsFixture({ zone });
  server = await startServer({ dns: fixture.address, args: ['--rules', dir] });
  const stop = server.stop;
  server.stop = async () => { try { return await stop(); } finally { await fixture.stop(); } };
});

after(async () => {
  if (server) await server.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

test('the pseudo-language is served: listed, chosen by ?lang=, by the body and by Accept-Language', async () => {
  const langs = await get(server.url, '/api/v1/languages');
  checkResponse(langs);
  assert.deepEqual(langs.json.languages.map((l) => l.code), ['en', 'ru', 'xx']);
  assert.equal(langs.json.languages[2].name, '⟦Ṗšéúďó⟧');
  for (const [q, h, body] of [['?lang=xx', {}, { text: '550 5.1.1 user unknown' }],
    ['', { 'Accept-Language': 'xx-YY, en;q=0.5' }, { text: '550 5.1.1 user unknown' }],
    ['', {}, { text: '550 5.1.1 user unknown', lang: 'XX' }]]) {
    const res = await post(server.url, `/api/v1/diagnose${q}`, body, h);
    checkResponse(res);
    assert.equal(res.json.lang, 'xx', res.describe());
    assert.equal(res.headers['content-language'], 'xx');
  }
});

test('every sentence of every golden bounce\'s diagnosis, checks.spf included, is in the pseudo-language', async () => {
  const inputs = readdirSync(GOLDEN).filter((f) => f.endsWith('.txt') || f.endsWith('.eml')).sort();
  assert.ok(inputs.length >= 100, `${inputs.length} golden inputs`);
  let sentences = 0;
  let spf = 0;
  for (const f of inputs) {
    const bytes = readFileSync(path.join(GOLDEN, f));
    const type = f.endsWith('.eml') ? 'message/rfc822' : 'text/plain';
    const res = await post(server.url, '/api/v1/diagnose?lang=xx', bytes, { 'Content-Type': type });
    checkResponse(res);
    assert.equal(res.json.lang, 'xx', `${f}: ${res.describe()}`);
    // a domain's own exp= text is data: the evaluator passes it on as the domain wrote it
    const s = res.json.checks?.spf;
    if (s && s.result === 'fail' && /exp=/.test(s.record ?? '') && !s.explanation.startsWith('⟦')) delete s.explanation;
    if (s) spf += 1;
    sentences += assertSaid(f, res.json);
  }
  assert.ok(spf >= 15, `${spf} answers have an SPF check`);
  console.log(`${inputs.length} bounces, ${sentences} sentences, ${spf} SPF checks, all in the pseudo-language`);
});

test('every sentence of /api/v1/spf (results, trace, syntax errors, fixes) is in the pseudo-language', async () => {
  let sentences = 0;
  const results = new Set();
  for (const q of spfQueries(zone)) {
    const query = new URLSearchParams({ ...q, lang: 'xx' }).toString();
    const res = await get(server.url, `/api/v1/spf?${query}`);
    checkResponse(res, '/api/v1/spf');
    assert.equal(res.headers['content-language'], 'xx', res.describe());
    results.add(res.json.result);
    if (res.json.result === 'fail' && /exp=/.test(res.json.record ?? '') && !res.json.explanation.startsWith('⟦')) {
      delete res.json.explanation;
    }
    sentences += assertSaid(query, res.json, Object.values(q));
  }
  // the same evaluations through GET /api/v1/check, as a diagnosis's checks
  for (const q of spfQueries(zone).filter((x) => x.domain)) {
    const query = new URLSearchParams({ ip: q.ip, domain: q.domain, lang: 'xx' }).toString();
    const res = await get(server.url, `/api/v1/check?${query}`);
    checkResponse(res, '/api/v1/check');
    const s = res.json.checks.spf;
    if (s && s.result === 'fail' && /exp=/.test(s.record ?? '') && !s.explanation.startsWith('⟦')) delete s.explanation;
    sentences += assertSaid(`check ${query}`, res.json, Object.values(q));
  }
  for (const r of ['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror']) {
    assert.ok(results.has(r), `some query gives ${r}: ${[...results]}`);
  }
  console.log(`${spfQueries(zone).length} SPF questions, ${sentences} sentences, all in the pseudo-language`);
});

test('the page\'s texts come in the pseudo-language', async () => {
  const res = await get(server.url, '/api/v1/texts?lang=xx');
  checkResponse(res);
  const texts = Object.entries(res.json.texts);
  assert.ok(texts.length > 50, `${texts.length} texts`);
  for (const [id, t] of texts) assert.ok(t.startsWith('⟦') && t.endsWith('⟧'), `${id}: ${t}`);
});

/** Every kind of error answer the service gives, as a request. */
const PROBLEMS = [
  ['not-found', { method: 'GET', path: '/nothing-here?lang=xx' }],
  ['method-not-allowed', { method: 'DELETE', path: '/api/v1/diagnose?lang=xx' }],
  ['invalid-parameter', { method: 'GET', path: '/api/v1/texts?lang=zz', headers: { 'Accept-Language': 'xx' } }],
  ['invalid-parameter', { method: 'POST', path: '/api/v1/diagnose?lang=xx&checks=some', body: 'x', headers: { 'Content-Type': 'text/plain' } }],
  ['unsupported-media-type', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: 'x', headers: { 'Content-Type': 'image/png' } }],
  ['empty-body', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: '', headers: { 'Content-Type': 'text/plain' } }],
  ['invalid-json', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: '{"text": ', headers: { 'Content-Type': 'application/json' } }],
  ['invalid-json', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: '{"text": "a"} x', headers: { 'Content-Type': 'application/json' } }],
  ['invalid-json', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: '{"text": tru}', headers: { 'Content-Type': 'application/json' } }],
  ['invalid-request', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: '[1]', headers: { 'Content-Type': 'application/json' } }],
  ['invalid-request', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: '{"text": "a", "extra": 1}', headers: { 'Content-Type': 'application/json' } }],
  ['invalid-request', { method: 'POST', path: '/api/v1/diagnose', body: '{"text": "a", "lang": "zz"}', headers: { 'Content-Type': 'application/json', 'Accept-Language': 'xx' } }],
  ['invalid-request', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: '{"text": 5}', headers: { 'Content-Type': 'application/json' } }],
  ['invalid-request', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: '{"messages": []}', headers: { 'Content-Type': 'application/json' } }],
  ['invalid-request', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: '{"messages": [5]}', headers: { 'Content-Type': 'application/json' } }],
  ['empty-text', { method: 'POST', path: '/api/v1/diagnose?lang=xx', body: ' \r\n ', headers: { 'Content-Type': 'text/plain' } }],
  ['invalid-parameter', { method: 'GET', path: '/api/v1/spf?lang=xx&ip=999.1.1.1&domain=example.com' }],
  ['invalid-parameter', { method: 'GET', path: '/api/v1/spf?lang=xx&ip=192.0.2.7' }],
  ['invalid-parameter', { method: 'GET', path: '/api/v1/spf?lang=xx&ip=192.0.2.7&domain=a%20b' }],
  ['invalid-parameter', { method: 'GET', path: '/api/v1/spf?lang=xx&ip=192.0.2.7&sender=a%01b@example.com' }],
  ['invalid-parameter', { method: 'GET', path: '/api/v1/spf?lang=xx&ip=192.0.2.7&helo=%FF' }],
  ['invalid-parameter', { method: 'GET', path: `/api/v1/spf?lang=xx&ip=192.0.2.7&domain=${'d'.repeat(256)}` }],
  ['invalid-parameter', { method: 'GET', path: `/api/v1/spf?lang=xx&ip=192.0.2.7&sender=${'l'.repeat(65)}@example.com` }],
  ['invalid-parameter', { method: 'GET', path: `/api/v1/spf?lang=xx&ip=192.0.2.7&sender=a@${'d'.repeat(256)}` }],
  ['invalid-parameter', { method: 'GET', path: '/api/v1/check?lang=xx' }],
  ['invalid-parameter', { method: 'GET', path: '/api/v1/check?lang=xx&domain=a..b' }],
];

test('every kind of error answer has its title and detail in the pseudo-language', async () => {
  const seen = new Set();
  for (const [code, req] of PROBLEMS) {
    const res = await request(server.url, req);
    const what = `${req.method} ${req.path}`;
    assert.equal(res.json?.code, code, `${what}: ${res.describe()}`);
    assert.equal(res.headers['content-language'], 'xx', `${what}: Content-Language`);
    // the request's own words (a method, a field, a parameter's name) are data when a detail
    // quotes them
    assertSaid(what, { title: res.json.title, detail: res.json.detail },
      ['DELETE', 'GET', 'POST', 'HEAD', 'extra', 'ip', 'sender', 'helo', 'domain', 'lang']);
    seen.add(code);
  }
  const big = await post(server.url, '/api/v1/diagnose?lang=xx', 'x'.repeat((1 << 20) + 1));
  assert.equal(big.json?.code, 'payload-too-large', big.describe());
  assertSaid('a body over --max-body', { title: big.json.title, detail: big.json.detail });
  seen.add(big.json.code);
  const raw = await rawExchange(server.port, Buffer.from('POST /api/v1/diagnose?lang=xx HTTP/1.1\r\n'
    + 'Host: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nContent-Length: 3\r\n'
    + 'Connection: close\r\n\r\nab'));
  const text = raw.data.toString('utf8');
  const problem = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
  assert.equal(problem.code, 'bad-request', text);
  assert.match(text, /^Content-Language: xx\r$/mi, text);
  assertSaid('two Content-Length fields', { title: problem.title, detail: problem.detail });
  seen.add(problem.code);
  const batch = await post(server.url, '/api/v1/diagnose?lang=xx', { messages: ['550 5.1.1 user unknown', ' '] });
  checkResponse(batch);
  assert.equal(batch.json.diagnoses[1].code, 'empty-text');
  assertSaid('a batch item with nothing to diagnose', batch.json);
  assert.ok(seen.size >= 10, [...seen].join(', '));
});
