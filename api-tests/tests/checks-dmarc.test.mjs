// Live DMARC checks: GET /api/v1/dmarc and checks.dmarc of POST /api/v1/diagnose, against the
// fixture DNS server (fixtures/dns/checks-zone.json): p=reject, p=none, the organisational
// domain's record through the Public Suffix List (mail.example.co.uk → example.co.uk), no record,
// two records.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { asked, codes, diagnoseText, getCheck, startChecksServer } from '../lib/checks.mjs';

let server;
before(async () => { server = await startChecksServer(); });
after(async () => { if (server) await server.stop(); });

const dmarc = (domain, lang) => getCheck(server, '/api/v1/dmarc', lang ? { domain, lang } : { domain });

test('p=reject at the domain: the record, its tags, no finding', async () => {
  const c = await dmarc('reject.example');
  assert.deepEqual(c, {
    status: 'checked',
    summary: null,
    domain: 'reject.example',
    org_domain: 'reject.example',
    found_at: 'reject.example',
    record: 'v=DMARC1; p=reject; adkim=s; rua=mailto:dmarc@reject.example',
    policy: 'reject',
    subdomain_policy: 'reject',
    effective_policy: 'reject',
    adkim: 's',
    aspf: 'r',
    pct: 100,
    rua: ['mailto:dmarc@reject.example'],
    problems: [],
  });
});

test('p=none: monitoring only, said as a finding', async () => {
  const c = await dmarc('monitor.example');
  assert.equal(c.policy, 'none');
  assert.equal(c.effective_policy, 'none');
  assert.deepEqual(c.problems.map((p) => [p.code, p.level]), [['dmarc_policy_none', 'info']]);
  const ru = await dmarc('monitor.example', 'ru');
  assert.match(ru.problems[0].text, /^политика DMARC для monitor\.example — none/);
});

test('no record at the domain: the organisational domain\'s, its sp= applying to the subdomain', async () => {
  const c = await dmarc('mail.example.co.uk');
  assert.equal(c.status, 'checked');
  assert.equal(c.domain, 'mail.example.co.uk');
  assert.equal(c.org_domain, 'example.co.uk', 'co.uk is a public suffix');
  assert.equal(c.found_at, 'example.co.uk');
  assert.equal(c.record, 'v=DMARC1; p=quarantine; sp=reject; rua=mailto:dmarc@example.co.uk');
  assert.equal(c.policy, 'quarantine');
  assert.equal(c.subdomain_policy, 'reject');
  assert.equal(c.effective_policy, 'reject');
  assert.deepEqual(c.problems, []);
  const q = await asked(server);
  assert.ok(q.includes('_dmarc.mail.example.co.uk TXT') && q.includes('_dmarc.example.co.uk TXT'), 'both asked');
});

test('no record anywhere: no policy, and a warning', async () => {
  const c = await dmarc('nodmarc.example');
  assert.equal(c.status, 'checked');
  assert.equal(c.found_at, null);
  assert.equal(c.record, null);
  assert.equal(c.policy, null);
  assert.equal(c.effective_policy, null);
  assert.deepEqual(c.problems.map((p) => [p.code, p.level]), [['dmarc_missing', 'warning']]);
  assert.match(c.problems[0].text, /^nodmarc\.example has no DMARC record/);
});

test('two records: receivers apply no DMARC at all', async () => {
  const c = await dmarc('twice.example');
  assert.equal(c.status, 'checked');
  assert.equal(c.found_at, null);
  assert.equal(c.policy, null);
  assert.deepEqual(c.problems.map((p) => [p.code, p.level]), [['dmarc_multiple', 'error']]);
  assert.match(c.problems[0].text, /_dmarc\.twice\.example has 2 DMARC records/);
});

const AUTH = (domain) => `550 5.7.1 192.0.2.7 is not allowed to send mail from ${domain}`;

test('diagnosis: an SPF refusal gets checks.dmarc of the sender\'s domain, with what its policy asks', async () => {
  const d = await diagnoseText(server, AUTH('reject.example'));
  assert.equal(d.results[0].reason, 'authfailure');
  assert.deepEqual(Object.keys(d.checks), ['spf', 'dmarc'], 'no DKIM signature to check');
  const c = d.checks.dmarc;
  assert.equal(c.domain, 'reject.example');
  assert.equal(c.policy, 'reject');
  assert.match(c.summary, /^reject\.example publishes a DMARC policy of reject: it asks receivers to refuse or quarantine mail/);

  const monitor = await diagnoseText(server, AUTH('monitor.example'));
  assert.match(monitor.checks.dmarc.summary, /^monitor\.example publishes DMARC with p=none: .*came from the receiver's own checks\./);

  const none = await diagnoseText(server, AUTH('nodmarc.example'));
  assert.match(none.checks.dmarc.summary, /^nodmarc\.example has no usable DMARC policy now/);
  assert.deepEqual(codes(none.checks.dmarc), ['dmarc_missing']);

  const ru = await diagnoseText(server, AUTH('reject.example'), 'ru');
  assert.match(ru.checks.dmarc.summary, /[\u0400-\u04ff]/, `the summary in Russian: ${ru.checks.dmarc.summary}`);
});
