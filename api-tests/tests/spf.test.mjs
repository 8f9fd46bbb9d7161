// Live SPF: GET /api/v1/spf and checks.spf of POST /api/v1/diagnose, against the fixture DNS
// server (fixtures/dns/zone.json), including a DNS server that is down and one that is slow.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertProblem, checkResponse, diagnose, freePort, get, startDnsFixture, startServer,
} from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

const spf = (srv, query) => get(srv.url, `/api/v1/spf?${new URLSearchParams(query)}`);

async function spfOk(query, srv = server) {
  const res = await spf(srv, query);
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/spf');
  return res.json;
}

test('GET /api/v1/spf: an IP outside the record fails at -all, with the trace and the explanation', async () => {
  const r = await spfOk({ ip: '192.0.2.7', sender: 'news@example.com' });
  assert.equal(r.status, 'checked');
  assert.equal(r.result, 'fail');
  assert.equal(r.domain, 'example.com');
  assert.equal(r.record, 'v=spf1 ip4:198.51.100.0/24 include:_spf.example.net -all');
  assert.equal(r.decisive_term.term, '-all');
  assert.equal(r.record.slice(r.decisive_term.offset, r.decisive_term.offset + r.decisive_term.length), '-all',
    'offset and length point at the deciding term in the record');
  assert.equal(r.lookups, 1, 'include: is the one DNS-querying term');
  assert.equal(r.void_lookups, 0);
  assert.match(r.explanation, /192\.0\.2\.7/);
  const terms = r.trace.map((t) => `${t.depth}:${t.term}:${t.outcome}`);
  assert.deepEqual(terms, [
    '0:ip4:198.51.100.0/24:no-match',
    '0:include:_spf.example.net:no-match',
    '1:ip4:203.0.113.0/24:no-match',
    '1:~all:match',
    '0:-all:match',
  ]);
  const inc = r.trace[1];
  assert.equal(inc.lookup, 'TXT _spf.example.net');
});

test('GET /api/v1/spf: pass through ip4, through include:, and through mx', async () => {
  assert.equal((await spfOk({ ip: '198.51.100.23', sender: 'a@example.com' })).result, 'pass');
  const inc = await spfOk({ ip: '203.0.113.9', domain: 'example.com' });
  assert.equal(inc.result, 'pass');
  assert.equal(inc.decisive_term.term, 'include:_spf.example.net');
  const mx = await spfOk({ ip: '192.0.2.25', sender: 'x@example.org' });
  assert.equal(mx.result, 'pass');
  assert.equal(mx.decisive_term.term, 'mx');
});

test('GET /api/v1/spf: softfail, none, permerror for two records, the exp= explanation expanded', async () => {
  assert.equal((await spfOk({ ip: '192.0.2.7', domain: 'softfail.example' })).result, 'softfail');
  const none = await spfOk({ ip: '192.0.2.7', domain: 'nospf.example' });
  assert.equal(none.result, 'none');
  assert.equal(none.record, null);
  const two = await spfOk({ ip: '192.0.2.7', domain: 'two-records.example' });
  assert.equal(two.result, 'permerror');
  assert.match(two.reason, /two|more than one|multiple/i);
  const exp = await spfOk({ ip: '192.0.2.7', domain: 'explained.example' });
  assert.equal(exp.result, 'fail');
  assert.equal(exp.explanation, '192.0.2.7 may not send mail for explained.example');
});

test('GET /api/v1/spf: an empty sender checks postmaster@helo; helo alone checks the HELO identity', async () => {
  const r = await spfOk({ ip: '192.0.2.7', sender: '', helo: 'example.com' });
  assert.equal(r.result, 'fail');
  assert.equal(r.domain, 'example.com');
  const h = await spfOk({ ip: '198.51.100.1', helo: 'example.com' });
  assert.equal(h.result, 'pass');
});

test('GET /api/v1/spf: bad parameters are 400 problems', async () => {
  assertProblem(await spf(server, { sender: 'a@example.com' }), 400, 'invalid-parameter', '/api/v1/spf');
  assertProblem(await spf(server, { ip: 'not-an-ip', sender: 'a@example.com' }), 400, 'invalid-parameter', '/api/v1/spf');
  assertProblem(await spf(server, { ip: '192.0.2.7' }), 400, 'invalid-parameter', '/api/v1/spf');
  assertProblem(await spf(server, { ip: '192.0.2.7', sender: 'a\nb@example.com' }), 400, 'invalid-parameter', '/api/v1/spf');
  // a space is fine in a (quoted) local part: tests/spf-input.test.mjs
});

test('POST /api/v1/diagnose: an SPF bounce gets checks.spf for the refused IP and the sender domain', async () => {
  const res = await diagnose(server.url, '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com',
    { query: 'checks=auto' });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/diagnose');
  const c = res.json.checks.spf;
  assert.ok(c, 'checks.spf is there');
  assert.equal(c.ip, '192.0.2.7');
  assert.equal(c.domain, 'example.com');
  assert.equal(c.result, 'fail');
  assert.equal(c.status, 'checked');
});

test('POST /api/v1/diagnose: no SPF check without checks, or when the bounce is not about authentication', async () => {
  const none = await diagnose(server.url, '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com',
    { query: 'checks=none' });
  assert.deepEqual(none.json.checks, {});
  // an unknown user calls for the recipient domain's MX, not for SPF
  const other = await diagnose(server.url, '550 5.1.1 <a@example.org>: User unknown', { query: 'checks=auto' });
  assert.deepEqual(Object.keys(other.json.checks), ['mx']);
});

// The fix (fixtures/dns/zone.json): 192.0.2.7's PTR name is mail-wr1-f41.google.com, whose A record
// points back; _spf.google.com lists 192.0.2.0/25. 192.0.2.99 has no PTR; 192.0.2.66's PTR name
// does not point back. big.example and big2.example cost 5 lookups each.

test('fix: a fail from a confirmed Google server gets include:_spf.google.com before -all, verified', async () => {
  const r = await spfOk({ ip: '192.0.2.7', sender: 'news@example.com' });
  assert.equal(r.result, 'fail');
  assert.equal(r.ptr, 'mail-wr1-f41.google.com');
  assert.deepEqual(r.fix, {
    domain: 'example.com',
    record: 'v=spf1 ip4:198.51.100.0/24 include:_spf.example.net include:_spf.google.com -all',
    added: 'include:_spf.google.com',
    provider: 'Google Workspace',
    result_after: 'pass',
    why: r.fix.why,
    warning: null,
    lookups_after: 3,
  });
  assert.match(r.fix.why, /mail-wr1-f41\.google\.com/);
  assert.match(r.fix.why, /before "-all"/);
});

test('fix: without a provider, the exact address; an unconfirmed PTR name is no hint', async () => {
  const r = await spfOk({ ip: '192.0.2.99', domain: 'example.com' });
  assert.equal(r.ptr, null);
  assert.equal(r.fix.record, 'v=spf1 ip4:198.51.100.0/24 include:_spf.example.net ip4:192.0.2.99 -all');
  assert.equal(r.fix.added, 'ip4:192.0.2.99');
  assert.equal(r.fix.provider, null);
  assert.equal(r.fix.result_after, 'pass');
  assert.equal(r.fix.lookups_after, 1);
  assert.match(r.fix.why, /ip4:192\.0\.2\.0\/24/, 'the /24 is only mentioned');
  const fake = await spfOk({ ip: '192.0.2.66', domain: 'example.com' });
  assert.equal(fake.ptr, null, 'mail-fake.google.com does not point back to 192.0.2.66');
  assert.equal(fake.fix.added, 'ip4:192.0.2.66');
  const soft = await spfOk({ ip: '192.0.2.99', domain: 'softfail.example' });
  assert.equal(soft.result, 'softfail');
  assert.equal(soft.fix.record, 'v=spf1 ip4:192.0.2.99 ~all', 'the qualifier of all is kept');
  const v6 = await spfOk({ ip: '2001:db8::7', domain: 'example.com' });
  assert.equal(v6.fix.added, 'ip6:2001:db8::7');
});

test('fix: none gets a starter record; a domain that does not exist gets none', async () => {
  const r = await spfOk({ ip: '192.0.2.7', domain: 'nospf.example' });
  assert.equal(r.result, 'none');
  assert.equal(r.fix.record, 'v=spf1 include:_spf.google.com ~all');
  assert.equal(r.fix.provider, 'Google Workspace');
  assert.equal(r.fix.result_after, 'pass');
  const plain = await spfOk({ ip: '192.0.2.99', domain: 'nospf.example' });
  assert.equal(plain.fix.record, 'v=spf1 ip4:192.0.2.99 ~all');
  const missing = await spfOk({ ip: '192.0.2.99', domain: 'missing.example' });
  assert.equal(missing.result, 'none');
  assert.equal(missing.fix.record, null);
  assert.match(missing.fix.why, /NXDOMAIN/);
});

test('fix: the 10-lookup limit: a warning naming the costliest includes', async () => {
  const r = await spfOk({ ip: '192.0.2.7', domain: 'near-limit.example' });
  assert.equal(r.result, 'fail');
  assert.equal(r.fix.added, 'include:_spf.google.com');
  assert.equal(r.fix.lookups_after, 12);
  assert.equal(r.fix.result_after, 'permerror');
  assert.match(r.fix.warning, /12 DNS lookups/);
  assert.match(r.fix.warning, /include:big\.example \(5 lookups\), include:big2\.example \(5\)/);
  assert.match(r.fix.warning, /ip4:192\.0\.2\.7 instead/);
  const ok = await spfOk({ ip: '192.0.2.99', domain: 'near-limit.example' });
  assert.equal(ok.fix.lookups_after, 10);
  assert.equal(ok.fix.warning, null, 'an ip4: costs nothing: still 10');
});

test('fix: permerror explained, with the corrected record where it is mechanical', async () => {
  const two = await spfOk({ ip: '192.0.2.7', domain: 'two-records.example' });
  assert.equal(two.result, 'permerror');
  assert.equal(two.fix.record, 'v=spf1 -all', 'merged into one record');
  assert.match(two.fix.why, /2 SPF records/);
  assert.match(two.fix.why, /end differently/);
  const typo = await spfOk({ ip: '192.0.2.7', domain: 'typo.example' });
  assert.equal(typo.fix.record, 'v=spf1 ip4:198.51.100.1 include:_spf.example.net -all');
  assert.match(typo.fix.why, /"ipv4:198\.51\.100\.1" → "ip4:198\.51\.100\.1"/);
  assert.match(typo.fix.why, /unknown modifier/);
  const dangling = await spfOk({ ip: '192.0.2.7', domain: 'dangling.example' });
  assert.equal(dangling.fix.record, 'v=spf1 ip4:198.51.100.0/24 -all');
  assert.match(dangling.fix.why, /nospf\.example, which has no SPF record/);
  const many = await spfOk({ ip: '192.0.2.7', domain: 'too-many.example' });
  assert.equal(many.lookups, 11);
  assert.equal(many.fix.record, 'v=spf1 include:big.example -all', 'the repeat and ptr removed');
  assert.equal(many.fix.lookups_after, 5);
  const way = await spfOk({ ip: '192.0.2.7', domain: 'way-too-many.example' });
  assert.equal(way.fix.record, null, 'no mechanical correction');
  assert.equal(way.fix.lookups_after, 11);
  assert.match(way.fix.why, /the costliest: include:big\.example \(5 lookups\), include:big2\.example \(5\), mx \(1\)/);
});

test('fix: none for a pass; lang=ru for the sentences, other languages refused', async () => {
  const pass = await spfOk({ ip: '198.51.100.23', sender: 'a@example.com' });
  assert.equal(pass.fix, null);
  assert.equal(pass.ptr, null);
  const ru = await spfOk({ ip: '192.0.2.7', domain: 'near-limit.example', lang: 'ru' });
  assert.match(ru.fix.why, /SPF-запись near-limit\.example/);
  assert.match(ru.fix.warning, /12 DNS-запросов/);
  assert.match(ru.reason, /[\u0400-\u04ff]/, 'the reason is Russian too');
  assertProblem(await spf(server, { ip: '192.0.2.7', domain: 'example.com', lang: 'de' }), 400,
    'invalid-parameter', '/api/v1/spf');
});

test('GET /api/v1/spf?lang=ru: a syntax error of the record in Russian, the term as written', async () => {
  const q = { ip: '192.0.2.7', domain: 'typo.example' };
  const en = await spfOk(q);
  const ru = await spfOk({ ...q, lang: 'ru' });
  assert.equal(en.reason, 'the SPF record of typo.example is invalid: unknown mechanism "ipv4:198.51.100.1" '
    + '(RFC 7208 §5 has all, include, a, mx, ptr, ip4, ip6, exists)');
  const error = 'неизвестный механизм «ipv4:198.51.100.1» (в RFC 7208 §5 есть all, include, a, mx, ptr, ip4, ip6, exists)';
  assert.equal(ru.reason, `SPF-запись typo.example некорректна: ${error}`);
  assert.equal(ru.trace.find((t) => t.term === ru.decisive_term.term).found, error);
  assert.ok(ru.fix.why.includes(`синтаксическая ошибка (${error})`), ru.fix.why);
  assert.doesNotMatch(JSON.stringify(ru), /unknown mechanism/);
  assert.equal(ru.fix.record, en.fix.record);
});

test('GET /api/v1/spf?lang=ru: the reason, the trace and the default explanation in Russian; English unchanged', async () => {
  const q = { ip: '192.0.2.7', sender: 'news@example.com' };
  const en = await spfOk(q);
  const ru = await spfOk({ ...q, lang: 'ru' });
  assert.equal(en.reason, 'the record ends in "-all" and no earlier term matched 192.0.2.7');
  assert.equal(ru.reason, 'запись заканчивается на "-all", и ни один предыдущий терм не совпал с 192.0.2.7');
  assert.equal(en.explanation, '192.0.2.7 is not allowed to send mail from example.com');
  assert.match(ru.explanation, /[\u0400-\u04ff]/);
  assert.match(ru.explanation, /192\.0\.2\.7.*example\.com/);
  // the same walk, only the sentences differ
  assert.equal(ru.result, en.result);
  assert.deepEqual(ru.trace.map((t) => [t.term, t.outcome, t.lookup]), en.trace.map((t) => [t.term, t.outcome, t.lookup]));
  const inc = ru.trace.findIndex((t) => t.term === 'include:_spf.example.net');
  assert.match(en.trace[inc].found, /^its record gives /);
  assert.match(ru.trace[inc].found, /^его запись даёт /);
  // lang=en is the default
  assert.deepEqual(await spfOk({ ...q, lang: 'en' }), en);
});

test('POST /api/v1/diagnose: checks.spf has the fix, a provider named by the bounce, in the language asked', async () => {
  const res = await diagnose(server.url, '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com',
    { query: 'checks=auto' });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/diagnose');
  const c = res.json.checks.spf;
  assert.equal(c.ptr, 'mail-wr1-f41.google.com');
  assert.equal(c.fix.added, 'include:_spf.google.com');
  // no PTR for 192.0.2.99, but the bounce names a Google outbound server
  const hinted = await diagnose(server.url,
    'Reporting-MTA: dns; mail-yw1-f99.google.com\n550 5.7.1 192.0.2.99 is not allowed to send mail from example.com',
    { query: 'checks=auto&lang=ru' });
  assert.equal(hinted.status, 200, hinted.describe());
  checkResponse(hinted, '/api/v1/diagnose');
  const h = hinted.json.checks.spf;
  assert.equal(h.ptr, null);
  assert.equal(h.fix.provider, 'Google Workspace');
  assert.equal(h.fix.result_after, 'pass', "Google's record lists 192.0.2.99");
  assert.match(h.fix.why, /В отказе упомянут mail-yw1-f99\.google\.com/);
  assert.match(h.reason, /[\u0400-\u04ff]/, 'the reason in the diagnosis language');
  // named by the bounce, but not in Google's ranges: the address itself
  const outside = await diagnose(server.url,
    'Reporting-MTA: dns; mail-yw1-f99.google.com\n550 5.7.1 192.0.2.200 is not allowed to send mail from example.com',
    { query: 'checks=auto' });
  const o = outside.json.checks.spf;
  assert.equal(o.fix.added, 'ip4:192.0.2.200');
  assert.equal(o.fix.provider, null);
  assert.match(o.fix.why, /does not authorise 192\.0\.2\.200/);
});

test('DNS server down: the answer still comes, SPF marked not checked with the reason', async () => {
  const port = await freePort(); // nothing listens there
  // the DNS canary would find the server down first and start no check (canary.test.mjs and
  // the next test): without it, the check itself runs into the failing server
  const srv = await startServer({ dns: `127.0.0.1:${port}`, args: ['--dns-canary', 'none'] });
  try {
    const r = await spfOk({ ip: '192.0.2.7', sender: 'a@example.com' }, srv);
    assert.equal(r.status, 'not_checked');
    assert.equal(r.result, 'temperror');
    assert.match(r.not_checked_reason, /DNS/);
    const ru = await spfOk({ ip: '192.0.2.7', sender: 'a@example.com', lang: 'ru' }, srv);
    assert.equal(ru.status, 'not_checked');
    assert.match(ru.not_checked_reason, /DNS-сервер/);
    const d = await diagnose(srv.url, '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com',
      { query: 'checks=auto' });
    assert.equal(d.status, 200, d.describe());
    checkResponse(d, '/api/v1/diagnose');
    assert.equal(d.json.results[0].reason, 'authfailure', 'the diagnosis from the text is unchanged');
    assert.equal(d.json.checks.spf.status, 'not_checked');
  } finally {
    await srv.stop();
  }
});

test('DNS server down, seen by the DNS canary: no check starts, each says the resolver is not answering', async () => {
  const port = await freePort(); // nothing listens there
  const srv = await startServer({ dns: `127.0.0.1:${port}` });
  try {
    const t0 = Date.now();
    while (!/^bouncedoc_dns_canary_healthy 0$/m.test((await get(srv.url, '/metrics')).text)) {
      assert.ok(Date.now() - t0 < 5000, 'the canary finds the server down');
      await new Promise((r) => setTimeout(r, 20));
    }
    const r = await spfOk({ ip: '192.0.2.7', sender: 'a@example.com' }, srv);
    assert.deepEqual(Object.keys(r), ['status', 'not_checked_reason'], 'no result: the check did not start');
    assert.equal(r.status, 'not_checked');
    assert.match(r.not_checked_reason, /^the DNS resolver is not answering correctly \(.+\), so nothing it says is evidence$/);
    const ru = await spfOk({ ip: '192.0.2.7', sender: 'a@example.com', lang: 'ru' }, srv);
    assert.match(ru.not_checked_reason, /DNS-сервер отвечает неправильно/);
    const d = await diagnose(srv.url, '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com',
      { query: 'checks=auto' });
    assert.equal(d.status, 200, d.describe());
    checkResponse(d, '/api/v1/diagnose');
    assert.equal(d.json.results[0].reason, 'authfailure', 'the diagnosis from the text is unchanged');
    assert.deepEqual(d.json.checks.spf, r);
  } finally {
    await srv.stop();
  }
});

test('slow DNS: the checks deadline holds, the answer says what could not be checked', async () => {
  const fixture = await startDnsFixture({ args: ['--delay-ms', '8000'] });
  // a DNS try may take 5 s; the checks of a request get 400 ms
  const srv = await startServer({ dns: fixture.address, args: ['--dns-timeout-ms', '5000', '--checks-deadline-ms', '400'] });
  try {
    const t0 = Date.now();
    const r = await spfOk({ ip: '192.0.2.7', sender: 'a@example.com' }, srv);
    const took = Date.now() - t0;
    assert.equal(r.status, 'not_checked');
    assert.match(r.not_checked_reason, /deadline/);
    // every answer of the fixture comes 8 s late: an answer at all before that is the deadline's
    assert.ok(took < 6000, `answered after ${took} ms although every DNS answer takes 8000 ms`);
    await srv.stop();
  } finally {
    if (!srv.exitStatus()) await srv.stop().catch(() => {});
    await fixture.stop();
  }
});

test('shutdown while a request waits for DNS: 503 shutting-down, clean exit', async () => {
  const fixture = await startDnsFixture({ args: ['--delay-ms', '20000'] });
  const srv = await startServer({ dns: fixture.address, args: ['--dns-timeout-ms', '30000', '--checks-deadline-ms', '30000'] });
  try {
    const pending = spf(srv, { ip: '192.0.2.7', sender: 'a@example.com' });
    // the request is suspended once the server has asked the fixture a question of its own (the
    // DNS canary's questions are counted too; its first one goes out at start)
    const t0 = Date.now();
    const count = (text, name) => Number((text.match(new RegExp(`^${name} (\\d+)$`, 'm')) ?? [0, 0])[1]);
    while (Date.now() - t0 < 5000) {
      const m = (await get(srv.url, '/metrics')).text;
      if (count(m, 'bouncedoc_dns_queries_sent_total') > count(m, 'bouncedoc_dns_canary_probes_total')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const stopped = srv.stop();
    const res = await pending;
    assertProblem(res, 503, 'shutting-down', '/api/v1/spf');
    const st = await stopped;
    assert.equal(st.code, 0, 'clean exit');
  } finally {
    if (!srv.exitStatus()) await srv.stop().catch(() => {});
    await fixture.stop();
  }
});
