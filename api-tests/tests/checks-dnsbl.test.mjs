// Live blocklist checks: GET /api/v1/dnsbl and checks.dnsbl of POST /api/v1/diagnose, against
// the test's own lists (fixtures/dnsbl-test.json) served by the fixture DNS server
// (fixtures/dns/checks-zone.json). bl.test lists IPv4 and IPv6 addresses, slow.test never
// answers about 203.0.113.48, broken.test fails its RFC 5782 self-test (it does not list
// 127.0.0.2), dbl.test lists domains, bits.test is a bitmask domain list, allow.test an allow list.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  asked, assertFields, bounceMessage, codes, diagnoseMessage, diagnoseText, getCheck, list, startChecksServer,
} from '../lib/checks.mjs';

let server;
before(async () => { server = await startChecksServer({ tested: true }); });
after(async () => { if (server) await server.stop(); });

const dnsbl = (query) => getCheck(server, '/api/v1/dnsbl', query);
const IP_LISTS = ['bl.test', 'slow.test', 'broken.test', 'allow.test'];
const DOMAIN_LISTS = ['dbl.test', 'bits.test'];

test('every configured list answers in configuration order; the self-tests ran at start-up', async () => {
  const d = await dnsbl({ ip: '203.0.113.10' });
  assert.deepEqual(d.lists.map((l) => l.zone), ['bl.test', 'slow.test', 'broken.test', 'dbl.test', 'bits.test', 'allow.test']);
  assert.deepEqual(d.lists.map((l) => l.health), ['healthy', 'healthy', 'unhealthy', 'healthy', 'healthy', 'healthy']);
  const q = await asked(server);
  for (const z of ['bl.test', 'slow.test', 'broken.test', 'allow.test']) {
    assert.ok(q.includes(`2.0.0.127.${z} A`) && q.includes(`1.0.0.127.${z} A`), `${z}: 127.0.0.2 and 127.0.0.1 tested`);
  }
  for (const z of DOMAIN_LISTS) {
    assert.ok(q.includes(`test.${z} A`) && q.includes(`invalid.${z} A`), `${z}: test and invalid tested`);
  }
});

test('listed: the code, what it means, the list\'s TXT reason and where to get delisted', async () => {
  const d = await dnsbl({ ip: '203.0.113.45' });
  assert.equal(d.status, 'checked');
  assert.equal(d.summary, null, 'no bounce: no claim to weigh');
  assert.equal(d.listed, true);
  assert.equal(d.allowlisted, false);
  assert.deepEqual(list(d, 'bl.test'), {
    zone: 'bl.test',
    name: 'Test Blocklist',
    kind: 'ip',
    target: '203.0.113.45',
    status: 'listed',
    codes: ['127.0.0.2'],
    meaning: 'a spam source',
    txt: 'Listed for spam, see https://bl.test/lookup?ip=203.0.113.45',
    detail: null,
    note: null,
    health: 'healthy',
    named: false,
    delist: 'https://bl.test/delist',
  });
  assert.equal(list(d, 'slow.test').status, 'not_listed');
  assert.equal(list(d, 'allow.test').status, 'not_listed');
  for (const z of DOMAIN_LISTS) {
    assert.equal(list(d, z).status, 'not_queried', `${z}: no domain to ask about`);
    assert.match(list(d, z).detail, /lists domain names, and there is no domain to ask about/);
  }
  assert.deepEqual(d.problems, [{
    code: 'dnsbl_listed', level: 'error', text: '203.0.113.45 is listed on Test Blocklist (bl.test).',
  }]);
  assert.ok((await asked(server)).includes('45.113.0.203.bl.test TXT'), 'the TXT reason is asked for a listing');
});

test('not listed: NXDOMAIN everywhere, no finding; TXT is not asked', async () => {
  const d = await dnsbl({ ip: '203.0.113.10' });
  assert.equal(d.status, 'checked');
  assert.equal(d.listed, false);
  for (const z of ['bl.test', 'slow.test', 'allow.test']) {
    const l = list(d, z);
    assert.equal(l.status, 'not_listed', z);
    assert.deepEqual([l.codes, l.meaning, l.txt, l.detail], [[], null, null, null], z);
  }
  assert.deepEqual(d.problems, []);
  assert.ok(!(await asked(server)).includes('10.113.0.203.bl.test TXT'));
});

test('refusals are never listings: a refusal code of the list, and an answer outside 127/8', async () => {
  const pub = await dnsbl({ ip: '203.0.113.46' });
  assert.equal(pub.status, 'checked');
  assert.equal(pub.listed, false, 'a refusal says nothing about the address');
  assertFields(list(pub, 'bl.test'), { status: 'refused', codes: ['127.255.255.254'], meaning: 'the query came through a public resolver' });
  assert.match(list(pub, 'bl.test').detail,
    /^Test Blocklist \(bl\.test\) did not answer about 203\.0\.113\.46: .*This says nothing about 203\.0\.113\.46\./);
  assert.deepEqual(codes(pub), []);

  const wild = await dnsbl({ ip: '203.0.113.47' });
  assert.equal(wild.listed, false);
  assertFields(list(wild, 'bl.test'), { status: 'refused', codes: ['192.0.2.1'] });
  assert.match(list(wild, 'bl.test').meaning,
    /192\.0\.2\.1 is not a blocklist answer \(blocklists answer within 127\.0\.0\.0\/8, RFC 5782 §2\.1\)/);
  assert.deepEqual(codes(wild), []);
});

test('a list that failed its self-test is unhealthy and not asked, even where it would list', async () => {
  const d = await dnsbl({ ip: '203.0.113.45' });
  const b = list(d, 'broken.test');
  assert.equal(b.status, 'unhealthy');
  assert.equal(b.health, 'unhealthy');
  assert.deepEqual(b.codes, []);
  assert.match(b.detail, /^Broken Blocklist failed its self-test, so its answers are not trusted and it was not asked: its test entry 127\.0\.0\.2, which it must list, is not listed\.$/);
  assert.ok(!(await asked(server)).some((q) => q.startsWith('45.113.0.203.broken.test ')),
    'the zone lists 203.0.113.45, but it was never asked');
  assert.ok(!d.problems.some((p) => /broken\.test/.test(p.text)));
});

test('IPv6: 32 reversed nibbles on the lists that take IPv6; the others are not asked', async () => {
  const d = await dnsbl({ ip: '2001:db8::45' });
  assert.equal(d.listed, true);
  assertFields(list(d, 'bl.test'), {
    status: 'listed', target: '2001:db8::45', codes: ['127.0.0.4'], meaning: 'an exploited host', txt: 'Exploited host 2001:db8::45',
  });
  assert.ok((await asked(server)).includes('5.4.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test A'));
  for (const z of ['slow.test', 'broken.test', 'allow.test']) {
    assert.equal(list(d, z).status, 'not_queried', z);
    assert.match(list(d, z).detail, /does not take IPv6 addresses, so it was not asked about 2001:db8::45\./, z);
  }
});

test('domain lists: ?domain= asks them and not the IP lists', async () => {
  const d = await dnsbl({ domain: 'spam.example' });
  assert.equal(d.listed, true);
  assertFields(list(d, 'dbl.test'), {
    status: 'listed', target: 'spam.example', codes: ['127.0.1.2'], meaning: 'a spam domain', txt: 'Spam domain spam.example', delist: 'https://dbl.test/delist',
  });
  assert.equal(list(d, 'bits.test').status, 'not_listed');
  for (const z of IP_LISTS.filter((x) => x !== 'broken.test')) {
    assert.equal(list(d, z).status, 'not_queried', z);
    assert.match(list(d, z).detail, /lists IP addresses, and there is no address to ask about/);
  }
  assert.deepEqual(d.problems.map((p) => p.text), ['spam.example is listed on Test Domain Blocklist (dbl.test).']);
  const both = await dnsbl({ ip: '203.0.113.45', domain: 'Spam.Example.' });
  assert.equal(list(both, 'bl.test').status, 'listed');
  assert.equal(list(both, 'dbl.test').target, 'spam.example', 'the domain as asked: lower case, no final dot');
  assert.deepEqual(codes(both), ['dnsbl_listed', 'dnsbl_listed']);
});

test('bitmask list: bit 1 alone is a refusal; bits 2 and 4 are a listing with two meanings', async () => {
  const refused = await dnsbl({ domain: 'refused.example' });
  assert.equal(refused.listed, false);
  assertFields(list(refused, 'bits.test'), { status: 'refused', codes: ['127.0.0.1'] });
  assert.match(list(refused, 'bits.test').meaning, /sets bit 1, which this list answers when it refuses a query/);
  assert.deepEqual(codes(refused), []);

  const grey = await dnsbl({ domain: 'grey.example' });
  assert.equal(grey.listed, true);
  assertFields(list(grey, 'bits.test'), {
    status: 'listed', codes: ['127.0.0.6'], meaning: "black: a spammer's domain; grey: a bulk mail domain",
  });
  assert.equal(list(grey, 'dbl.test').status, 'not_listed');
});

test('allow list: a listing there is good news, not a block', async () => {
  const d = await dnsbl({ ip: '203.0.113.49' });
  assert.equal(d.listed, false);
  assert.equal(d.allowlisted, true);
  const a = list(d, 'allow.test');
  assert.equal(a.status, 'listed');
  assert.deepEqual(a.codes, ['127.0.3.2']);
  assert.equal(a.meaning, 'category: e-mail service providers; trust medium');
  assert.deepEqual(d.problems, [{
    code: 'dnsbl_allowlisted', level: 'info', text: '203.0.113.49 is on the allow list Test Allow List (allow.test).',
  }]);
});

test('a list that times out while the others answer: a partial result, never listed', async () => {
  const t0 = Date.now();
  const d = await dnsbl({ ip: '203.0.113.48' });
  assert.ok(Date.now() - t0 < 4000, 'the answer does not wait for the checks deadline (5 s)');
  assert.equal(d.status, 'checked', 'the other lists answered');
  assert.equal(d.listed, false, 'slow.test holds 127.0.0.2 for it, but never said so');
  const s = list(d, 'slow.test');
  assert.equal(s.status, 'timeout');
  assert.deepEqual(s.codes, []);
  assert.equal(s.detail, 'a DNS server did not answer in time');
  assert.equal(list(d, 'bl.test').status, 'not_listed');
  assert.equal(list(d, 'allow.test').status, 'not_listed');
  assert.deepEqual(d.problems, []);
});

const BLOCKED = '554 5.7.1 Service unavailable; Client host [203.0.113.45] blocked using bl.test';

test('diagnosis: "blocked using bl.test" gets checks.dnsbl with the named list, and the claim holds', async () => {
  const d = await diagnoseText(server, BLOCKED);
  assert.equal(d.results[0].reason, 'blocked');
  assert.deepEqual(Object.keys(d.checks).sort(), ['dnsbl', 'ptr']);
  const c = d.checks.dnsbl;
  assert.equal(c.status, 'checked');
  assert.equal(c.listed, true);
  assert.equal(c.summary, "The receiver's claim holds now: 203.0.113.45 is listed on bl.test. Fix what got it listed, "
    + "then follow the list's delisting procedure.");
  const l = list(c, 'bl.test');
  assert.equal(l.named, true);
  assert.equal(l.status, 'listed');
  assert.equal(list(c, 'slow.test').named, false);
  assert.deepEqual(c.problems.map((p) => p.text),
    ['203.0.113.45 is listed on Test Blocklist (bl.test), the list the bounce names: that listing is why the mail was refused.']);

  const ru = await diagnoseText(server, BLOCKED, 'ru');
  assert.match(ru.checks.dnsbl.summary, /^Претензия получателя подтверждается: 203\.0\.113\.45 сейчас в списке bl\.test\./);
  assert.match(ru.checks.dnsbl.problems[0].text, /находится в списке Test Blocklist \(bl\.test\)/);
});

test('diagnosis: the named list does not list the address now: it was delisted since', async () => {
  const d = await diagnoseText(server, BLOCKED.replace('203.0.113.45', '203.0.113.50'));
  const c = d.checks.dnsbl;
  assert.equal(c.listed, false);
  assert.match(c.summary, /^The receiver named a blocklist, but 203\.0\.113\.50 is not listed there now/);
  assert.deepEqual(codes(c), ['dnsbl_named_not_listed']);
});

test('diagnosis: a named list that is not configured is not_configured, and never asked', async () => {
  const d = await diagnoseText(server, BLOCKED.replace('bl.test', 'zen.spamhaus.org'));
  const c = d.checks.dnsbl;
  assert.deepEqual(list(c, 'zen.spamhaus.org'), {
    zone: 'zen.spamhaus.org',
    name: null,
    kind: null,
    target: null,
    status: 'not_configured',
    codes: [],
    meaning: null,
    txt: null,
    detail: 'The bounce names zen.spamhaus.org, which is not among the blocklists this service asks; it was not asked.',
    note: null,
    health: 'untested',
    named: true,
    delist: null,
  });
  assert.equal(list(c, 'bl.test').named, false);
  assert.ok(!(await asked(server)).some((q) => /spamhaus/.test(q)), 'nothing was asked of a list the operator did not choose');
});

test('diagnosis: the sender\'s domain listed, its IP not: the summary says it of the domain', async () => {
  const d = await diagnoseMessage(server, bounceMessage({
    sender: 'alice@spam.example',
    reply: '554 5.7.1 Service unavailable; Client host [203.0.113.50] blocked using dbl.test',
  }));
  assert.equal(d.entities.sender_domain, 'spam.example');
  const c = d.checks.dnsbl;
  assert.equal(c.listed, true);
  assert.equal(list(c, 'bl.test').status, 'not_listed');
  assert.equal(list(c, 'dbl.test').status, 'listed');
  assert.equal(list(c, 'dbl.test').named, true);
  assert.equal(c.summary, "The receiver's claim holds now: spam.example is listed on dbl.test. Fix what got it listed, "
    + "then follow the list's delisting procedure.");
});
