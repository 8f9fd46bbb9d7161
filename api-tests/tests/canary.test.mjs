// The DNS canary: a resolver that lies is not evidence. The service asks its resolver a question
// whose answer is known (the root zone's NS records, or --dns-canary NAME's) at start and every
// --dns-canary-interval seconds; while the answer is wrong, every live check is not checked, with
// the reason, and never turns the lie into a finding ("example.com does not exist"). The fixture
// DNS server answers the root's NS on its own and lies on demand ("*": {"nxdomain": true}).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { defaultZonePath } from '../lib/dns.mjs';
import { checkResponse, diagnose, get, startDnsFixture, startServer } from '../lib/server.mjs';

const BOUNCE = '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com';
const ROOT_LIE = 'the DNS resolver is not answering correctly (NXDOMAIN for the root zone, which always '
  + 'exists), so nothing it says is evidence';

const zone = () => JSON.parse(readFileSync(defaultZonePath, 'utf8'));
/** The default zone, served by a resolver that answers NXDOMAIN to every question. */
const lyingZone = () => {
  const z = zone();
  return { ...z, behaviour: { ...(z.behaviour ?? {}), '*': { nxdomain: true } } };
};

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** Wait until fn() is truthy, at most ms. */
async function until(what, fn, ms = 5000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) assert.fail(`${what}: not within ${ms} ms`);
    await delay(20);
  }
}

async function metrics(srv) {
  const res = await get(srv.url, '/metrics');
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/metrics');
  return res.text;
}

const sample = (text, name) => {
  const m = text.match(new RegExp(`^${name} (\\S+)$`, 'm'));
  return m ? Number(m[1]) : null;
};

/** The canary's verdict as the server logged it (dns_canary_ok / dns_canary_failing). */
const logged = (srv, event) => until(`the server logs ${event}`, () => srv.stderr().includes(`event=${event} `));

async function diagnoseAuto(srv, lang) {
  // no checks= parameter: the checks the diagnosis calls for run (auto)
  const res = await diagnose(srv.url, BOUNCE, { query: '', lang });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/diagnose');
  assert.equal(res.json.results[0].reason, 'authfailure', 'the diagnosis of the text does not depend on DNS');
  return res.json;
}

async function checkEndpoint(srv) {
  const res = await get(srv.url, '/api/v1/check?ip=192.0.2.7&domain=example.com');
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/check');
  return res.json;
}

async function spfEndpoint(srv) {
  const res = await get(srv.url, '/api/v1/spf?ip=192.0.2.7&sender=a%40example.com');
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/spf');
  return res.json;
}

test('a resolver that answers NXDOMAIN to everything: every check is not checked, with the reason', async () => {
  const fixture = await startDnsFixture({ zone: lyingZone(), args: ['--verbose'] });
  const srv = await startServer({ dns: fixture.address });
  try {
    await until('the canary gauge goes to 0', async () => sample(await metrics(srv), 'bouncedoc_dns_canary_healthy') === 0);
    await logged(srv, 'dns_canary_failing');
    assert.match(srv.stderr(), /event=dns_canary_failing name=\. reason=dns\.canary\.nxdomain_root/);

    const d = await diagnoseAuto(srv);
    const lie = { status: 'not_checked', not_checked_reason: ROOT_LIE };
    assert.deepEqual(d.checks, { spf: lie, dmarc: lie },
      'the checks the bounce calls for (SPF, DMARC): not checked, the resolver named, no result');
    const text = JSON.stringify(d);
    assert.doesNotMatch(text, /does not exist|publishes no SPF|"result"/,
      'the lie never becomes a finding about example.com');

    const ru = await diagnoseAuto(srv, 'ru');
    assert.equal(ru.checks.spf.status, 'not_checked');
    assert.match(ru.checks.spf.not_checked_reason, /DNS-сервер .*NXDOMAIN для корневой зоны/);

    const c = await checkEndpoint(srv);
    const unstarted = { status: 'not_checked', not_checked_reason: ROOT_LIE };
    assert.deepEqual(c, { lang: 'en', checks: { spf: unstarted, dmarc: unstarted, ptr: unstarted, dnsbl: unstarted, mx: unstarted } },
      'GET /api/v1/check: every check the same');
    assert.deepEqual(await spfEndpoint(srv), { status: 'not_checked', not_checked_reason: ROOT_LIE },
      'GET /api/v1/spf: the same');

    const m = await metrics(srv);
    assert.equal(sample(m, 'bouncedoc_dns_canary_healthy'), 0);
    assert.ok(sample(m, 'bouncedoc_dns_canary_failures_total') >= 1, m);
    const asked = fixture.stderr();
    assert.match(asked, /^dns-fixture: udp \S+ \. NS -> nxdomain rcode=3/m, 'the canary asked the root');
    assert.doesNotMatch(asked, /example\.com\./, `no check asked anything about example.com:\n${asked}`);
  } finally {
    await srv.stop();
    await fixture.stop();
  }
});

test('a resolver that answers correctly: the same requests are checked', async () => {
  const srv = await startServer();
  try {
    await logged(srv, 'dns_canary_ok');
    assert.equal(sample(await metrics(srv), 'bouncedoc_dns_canary_healthy'), 1);
    const d = await diagnoseAuto(srv);
    assert.equal(d.checks.spf.status, 'checked');
    assert.equal(d.checks.spf.result, 'fail');
    assert.equal(d.checks.spf.domain, 'example.com');
    const c = await checkEndpoint(srv);
    assert.equal(c.checks.spf.status, 'checked');
    assert.equal(c.checks.spf.result, 'fail');
    const s = await spfEndpoint(srv);
    assert.equal(s.status, 'checked');
    assert.equal(s.result, 'fail');
  } finally {
    await srv.stop();
  }
});

test('the resolver recovers: the next canary question finds it, and the checks run again', async () => {
  const fixture = await startDnsFixture({ zone: lyingZone() });
  const srv = await startServer({ dns: fixture.address, args: ['--dns-canary-interval', '1'] });
  try {
    await logged(srv, 'dns_canary_failing');
    assert.equal((await diagnoseAuto(srv)).checks.spf.status, 'not_checked');
    await fixture.reload(zone());
    await logged(srv, 'dns_canary_ok');
    assert.equal(sample(await metrics(srv), 'bouncedoc_dns_canary_healthy'), 1);
    const d = await diagnoseAuto(srv);
    assert.equal(d.checks.spf.status, 'checked');
    assert.equal(d.checks.spf.result, 'fail', 'the real answer, not a lie kept in a cache');
  } finally {
    await srv.stop();
    await fixture.stop();
  }
});

test('blocklists tested while the resolver lies are not judged: once it answers truly, they are tested again at once', async () => {
  const fixtures = path.join(path.dirname(defaultZonePath), '..');
  const truthful = JSON.parse(readFileSync(path.join(fixtures, 'dns', 'checks-zone.json'), 'utf8'));
  const lying = JSON.parse(JSON.stringify(truthful));
  lying.behaviour = { ...(lying.behaviour ?? {}), '*': { nxdomain: true } };
  const fixture = await startDnsFixture({ zone: lying });
  const srv = await startServer({
    dns: fixture.address,
    args: ['--dns-canary-interval', '1', '--dnsbl-config', path.join(fixtures, 'dnsbl-test.json')],
  });
  const lists = async () => {
    const res = await get(srv.url, '/api/v1/dnsbl?ip=203.0.113.45');
    checkResponse(res, '/api/v1/dnsbl');
    return res.json;
  };
  try {
    await logged(srv, 'dns_canary_failing');
    // the self-tests of the first round met the lie: no list may be judged by it
    await fixture.reload(truthful);
    await logged(srv, 'dns_canary_ok');
    const health = await until('the lists are tested again on true answers', async () => {
      const r = await lists();
      const states = Object.fromEntries(r.lists.map((l) => [l.zone, l.health]));
      return states['bl.test'] === 'healthy' ? states : null;
    });
    assert.equal(health['bl.test'], 'healthy', JSON.stringify(health));
    assert.equal(health['broken.test'], 'unhealthy', 'a list that fails its test on true answers still does');
  } finally {
    await srv.stop();
    await fixture.stop();
  }
});

test('--dns-canary NAME: a zone of the operator\'s must have NS records', async () => {
  const z = zone();
  z.names['canary.example'] = [{ NS: 'ns.canary.example' }];
  const fixture = await startDnsFixture({ zone: z, args: ['--verbose'] });
  const good = await startServer({ dns: fixture.address, args: ['--dns-canary', 'canary.example'] });
  try {
    await logged(good, 'dns_canary_ok');
    assert.match(fixture.stderr(), /^dns-fixture: udp \S+ canary\.example\. NS -> answer rcode=0 an=1/m);
    assert.equal((await diagnoseAuto(good)).checks.spf.status, 'checked');
  } finally {
    await good.stop();
  }
  const missing = await startServer({ dns: fixture.address, env: { BOUNCEDOC_DNS_CANARY: 'missing.example' } });
  try {
    await logged(missing, 'dns_canary_failing');
    const d = await diagnoseAuto(missing);
    assert.deepEqual(d.checks.spf, {
      status: 'not_checked',
      not_checked_reason: 'the DNS resolver is not answering correctly (NXDOMAIN for missing.example, which must '
        + 'exist), so nothing it says is evidence',
    });
  } finally {
    await missing.stop();
    await fixture.stop();
  }
});

test('--dns-canary none: no canary, no gauge; the checks believe whatever the resolver says', async () => {
  const fixture = await startDnsFixture({ zone: lyingZone() });
  const srv = await startServer({ dns: fixture.address, args: ['--dns-canary', 'none'] });
  try {
    assert.equal(sample(await metrics(srv), 'bouncedoc_dns_canary_healthy'), null, 'no canary gauge');
    const d = await diagnoseAuto(srv);
    // what the canary is for: without it the lie is taken for the domain having no SPF record
    assert.equal(d.checks.spf.status, 'checked');
    assert.equal(d.checks.spf.result, 'none');
    assert.doesNotMatch(srv.stderr(), /dns_canary/);
  } finally {
    await srv.stop();
    await fixture.stop();
  }
});
