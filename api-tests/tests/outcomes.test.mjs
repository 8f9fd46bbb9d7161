// Answers that never contradict themselves: what is no failure (a delivery, an automatic
// reply, a complaint report, ordinary mail, text that is not a bounce) has no permanence and,
// but for a complaint, nobody to act; a permanent failure is never left to a retry; a
// temporary one always names who acts. And the edge answers (empty sender, no checks, each
// non-failure kind) follow openapi.yaml, nullable fields included.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { checkResponse, diagnose, get, post, repoRoot, startServer } from '../lib/server.mjs';

const D = '/api/v1/diagnose?checks=none';
const FIXTURES = path.join(repoRoot, 'api-tests', 'fixtures', 'eml');
const RETRY_WORDS = /\b(wait|retr(y|ies)|later)\b/i;

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

function ok(res, route = '/api/v1/diagnose') {
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, route);
  return res.json;
}

const message = async (file, lang = 'en') => ok(await post(server.url, `${D}&lang=${lang}`,
  readFileSync(path.join(FIXTURES, file)), { 'Content-Type': 'message/rfc822' }));

const NON_FAILURES = [
  { file: 'dsn-delivered.eml', reason: 'delivered', format: 'dsn', fix_by: null },
  { file: 'autoreply-out-of-office.eml', reason: 'vacation', format: 'autoreply', fix_by: null },
  { file: 'arf-abuse.eml', reason: 'feedback', format: 'feedback', fix_by: 'sender' },
  { file: 'not-a-bounce.eml', reason: 'undefined', format: 'mail', fix_by: null },
];

for (const c of NON_FAILURES) {
  for (const lang of ['en', 'ru']) {
    test(`${c.file} (${lang}): ${c.reason}, no permanence, fix_by ${c.fix_by}`, async () => {
      const d = await message(c.file, lang);
      assert.equal(d.input.format, c.format);
      assert.ok(d.results.length >= 1);
      for (const r of d.results) {
        assert.equal(r.reason, c.reason);
        assert.equal(r.permanent, null, 'a result that is no failure has no permanence');
        assert.equal(r.permanent_source, null);
        assert.equal(r.hard_bounce, false);
        assert.equal(r.fix_by, c.fix_by);
        if (c.fix_by === null) assert.equal(r.fix_by_label, null);
        else assert.equal(typeof r.fix_by_label, 'string');
      }
    });
  }
}

test('text that is not a bounce: no permanence, nobody to act', async () => {
  const d = ok(await diagnose(server.url, 'Hi Anna, see you at the meeting tomorrow. Bob', { query: 'checks=none' }));
  const r = d.results[0];
  assert.equal(r.reason, 'undefined');
  assert.equal(r.permanent, null);
  assert.equal(r.permanent_source, null);
  assert.equal(r.fix_by, null);
  assert.equal(r.fix_by_label, null);
});

test('a permanent failure nobody can explain is not left to a retry', async () => {
  for (const lang of ['en', 'ru']) {
    const d = ok(await diagnose(server.url, '550 permanent failure for one or more recipients', { query: `checks=none&lang=${lang}` }));
    const r = d.results[0];
    assert.equal(r.permanent, true);
    assert.notEqual(r.fix_by, 'retry');
    assert.equal(typeof r.fix_by, 'string');
    if (lang === 'en') {
      assert.doesNotMatch(r.fix_by_label, /retry/i);
      for (const step of r.fix) assert.doesNotMatch(step, /^wait\b/i, `a step waits for a retry: ${step}`);
      assert.doesNotMatch(r.explanation, /still retrying/i);
    }
  }
});

// One line per cause that usually comes with the other permanence: the answer follows the
// codes, and its words do not contradict them.
const AGAINST_DEFAULT = [
  { text: '550 5.4.4 Unable to route: no route to the host', permanent: true },
  { text: '550 5.7.1 Rate limit exceeded: too many messages from your IP, connection refused', permanent: true },
  { text: '450 4.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table', permanent: false },
  { text: '451 4.4.3 No MX records found for domain2.example', permanent: false },
];

for (const c of AGAINST_DEFAULT) {
  test(`"${c.text}": permanent ${c.permanent}, and the words agree`, async () => {
    const d = ok(await diagnose(server.url, c.text, { query: 'checks=none' }));
    const r = d.results[0];
    assert.equal(r.permanent, c.permanent, JSON.stringify(r));
    assert.equal(typeof r.fix_by, 'string', 'a failure always names who acts');
    if (c.permanent) {
      assert.notEqual(r.fix_by, 'retry');
      assert.ok(!r.fix.some((s) => /^wait\b/i.test(s)), `a permanent failure's steps wait: ${r.fix}`);
    } else {
      assert.doesNotMatch(`${r.title} ${r.summary}`, /does not exist|will not help|does not help/i);
    }
  });
}

test('every failure of a mixed batch: permanent ones never retry, temporary ones name who acts', async () => {
  const messages = [
    '550 5.1.1 <a@example.org>: user unknown', '452 4.2.2 mailbox over quota', '421 4.7.0 try again later',
    '554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org',
    '550 permanent failure for one or more recipients', '451 4.3.0 temporary local problem',
    '554 message rejected', '451 Greylisted, please try again in 5 minutes', '550 5.2.2 mailbox full',
    '550 5.4.7 delivery time expired', '421 4.4.2 connection timed out',
  ];
  const res = await post(server.url, D, JSON.stringify({ messages }), { 'Content-Type': 'application/json' });
  const b = ok(res);
  assert.equal(b.diagnoses.length, messages.length);
  b.diagnoses.forEach((d, i) => {
    for (const r of d.results) {
      const ctx = `${messages[i]} → ${r.reason} permanent=${r.permanent} fix_by=${r.fix_by}`;
      assert.equal(typeof r.permanent, 'boolean', ctx);
      assert.equal(typeof r.fix_by, 'string', ctx);
      if (r.permanent) assert.notEqual(r.fix_by, 'retry', ctx);
      if (r.fix_by === 'retry') assert.equal(r.permanent, false, ctx);
    }
  });
});

test('no checks asked for: checks is an empty object and the answer follows the spec', async () => {
  const d = ok(await diagnose(server.url, '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com', { query: 'checks=none' }));
  assert.deepEqual(d.checks, {});
});

test('GET /api/v1/spf with an empty sender and no HELO: domain null, result none, per the spec', async () => {
  const d = ok(await get(server.url, '/api/v1/spf?ip=192.0.2.7&sender='), '/api/v1/spf');
  assert.equal(d.domain, null);
  assert.equal(d.result, 'none');
  assert.equal(d.fix, null);
});

test('GET /api/v1/spf with an empty sender and a HELO name checks the HELO identity', async () => {
  const d = ok(await get(server.url, '/api/v1/spf?ip=192.0.2.7&sender=&helo=mail.example.com'), '/api/v1/spf');
  assert.equal(d.domain, 'mail.example.com');
});

test('a fix the live SPF check verified comes first, and no step proposes another', async () => {
  for (const lang of ['en', 'ru']) {
    const d = ok(await diagnose(server.url, '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com', { query: `lang=${lang}` }));
    const fix = d.checks.spf.fix;
    assert.equal(fix.added, 'include:_spf.google.com');
    assert.equal(fix.result_after, 'pass');
    const steps = d.results[0].fix;
    assert.ok(steps[0].includes(fix.record), `step 1 publishes the verified record: ${steps[0]}`);
    assert.ok(steps[0].includes('include:_spf.google.com'), steps[0]);
    for (const s of steps.slice(1)) {
      assert.doesNotMatch(s, /ip4:|include:/, `a later step proposes another edit: ${s}`);
    }
  }
});

test('without a verified fix the generic SPF steps stay', async () => {
  const d = ok(await diagnose(server.url, '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com', { query: 'checks=none' }));
  assert.match(d.results[0].fix[0], /ip4:192\.0\.2\.7/);
});
