// GET /api/v1/check with every live check at once (SPF, DMARC, reverse DNS, blocklists, MX) for
// a sending IP and a sender domain, in English and Russian; and the parameters every check
// endpoint refuses, as 400 problems. Against the fixture DNS server (fixtures/dns/checks-zone.json)
// and the test blocklists (fixtures/dnsbl-test.json).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkResponse, get } from '../lib/server.mjs';
import { codes, getCheck, getInvalid, list, startChecksServer } from '../lib/checks.mjs';

let server;
before(async () => { server = await startChecksServer({ tested: true }); });
after(async () => { if (server) await server.stop(); });

test('ip, domain and helo: all five checks in one answer, as in a diagnosis but with no claim to weigh', async () => {
  const d = await getCheck(server, '/api/v1/check', { ip: '203.0.113.10', domain: 'sender.example', helo: 'mail.sender.example' });
  assert.equal(d.lang, 'en');
  assert.deepEqual(Object.keys(d.checks), ['spf', 'dmarc', 'ptr', 'dnsbl', 'mx']);
  for (const [name, c] of Object.entries(d.checks)) {
    assert.equal(c.status, 'checked', name);
    assert.equal(c.summary, null, `${name}: no bounce, no summary`);
  }
  const { spf, dmarc, ptr, dnsbl, mx } = d.checks;
  assert.equal(spf.result, 'pass');
  assert.equal(spf.decisive_term.term, 'ip4:203.0.113.10');
  assert.equal(dmarc.policy, 'reject');
  assert.equal(ptr.fcrdns, true);
  assert.equal(ptr.helo.matches_ptr, true);
  assert.equal(dnsbl.listed, false);
  assert.equal(list(dnsbl, 'bl.test').target, '203.0.113.10');
  assert.equal(list(dnsbl, 'dbl.test').target, 'sender.example', 'the domain lists are asked about the domain');
  assert.deepEqual(mx.mx.map((x) => [x.host, x.addresses]), [['mail.sender.example', ['203.0.113.10', '2001:db8::10']]]);
  for (const c of Object.values(d.checks)) {
    assert.deepEqual((c.problems ?? []).filter((p) => p.level !== 'info'), [], 'a sending set-up in order');
  }
});

test('lang=ru: the same checks, their sentences in Russian', async () => {
  const res = await get(server.url, '/api/v1/check?ip=203.0.113.45&domain=spam.example&lang=ru');
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.headers['content-language'], 'ru');
  const d = res.json;
  assert.equal(d.lang, 'ru');
  assert.deepEqual(Object.keys(d.checks), ['spf', 'dmarc', 'ptr', 'dnsbl', 'mx']);
  const { spf, dmarc, ptr, dnsbl, mx } = d.checks;
  assert.match(spf.reason, /^spam\.example не существует/);
  assert.match(dmarc.problems[0].text, /^у spam\.example нет DMARC-записи/);
  assert.match(ptr.problems[0].text, /^У адреса 203\.0\.113\.45 нет PTR-записи/);
  assert.deepEqual(codes(dnsbl), ['dnsbl_listed', 'dnsbl_listed']);
  assert.deepEqual(dnsbl.problems.map((p) => p.text), [
    '203.0.113.45 находится в списке Test Blocklist (bl.test).',
    'spam.example находится в списке Test Domain Blocklist (dbl.test).',
  ]);
  assert.match(list(dnsbl, 'broken.test').detail, /^Broken Blocklist не прошёл самопроверку/);
  assert.equal(list(dnsbl, 'bl.test').meaning, 'a spam source', 'an operator\'s own list is read in English');
  assert.match(mx.problems[0].text, /^Домена spam\.example не существует \(NXDOMAIN\)/);
});

test('every check endpoint: missing or malformed parameters are 400 problems that say what to send', async () => {
  for (const [endpoint, query, re] of [
    ['/api/v1/mx', {}, /^Give domain\.$/],
    ['/api/v1/mx', { domain: '' }, /^domain must be a domain name/],
    ['/api/v1/mx', { domain: 'exa mple.example' }, /^domain holds a space at octet 4/],
    ['/api/v1/mx', { domain: '-mx.example' }, /^domain must be a domain name .*not starting or ending with '-'/],
    ['/api/v1/mx', { domain: `${'a'.repeat(64)}.example` }, /^domain must be a domain name/],
    ['/api/v1/mx', { domain: 'two-mx.example', lang: 'zz' }, /^lang must be/],
    ['/api/v1/ptr', {}, /^Give ip\.$/],
    ['/api/v1/ptr', { domain: 'sender.example' }, /^Give ip\.$/],
    ['/api/v1/ptr', { ip: '203.0.113.300' }, /^ip must be the client's IPv4 or IPv6 address/],
    ['/api/v1/ptr', { ip: 'mail.sender.example' }, /^ip must be/],
    ['/api/v1/ptr', { ip: '203.0.113.10', helo: 'a\nb' }, /^helo holds a control character/],
    ['/api/v1/dnsbl', {}, /^Give at least one of ip, domain\.$/],
    ['/api/v1/dnsbl', { ip: '2001:db8::g' }, /^ip must be/],
    ['/api/v1/dnsbl', { domain: 'a..example' }, /^domain must be a domain name/],
    ['/api/v1/dmarc', {}, /^Give domain\.$/],
    ['/api/v1/dmarc', { domain: 'exa!mple.example' }, /^domain must be a domain name/],
    ['/api/v1/dkim', { domain: 'signed.example' }, /^Give domain, selector\.$/],
    ['/api/v1/check', { domain: 'sender-.example' }, /^domain must be a domain name/],
  ]) {
    assert.match(await getInvalid(server, endpoint, query), re, `${endpoint} ${JSON.stringify(query)}`);
  }
});

test('only GET', async () => {
  for (const endpoint of ['/api/v1/mx', '/api/v1/ptr', '/api/v1/dnsbl', '/api/v1/dmarc', '/api/v1/dkim']) {
    const res = await get(server.url, `${endpoint}?domain=two-mx.example`, {}, { method: 'POST' });
    assert.equal(res.status, 405, res.describe());
    checkResponse(res, endpoint);
    assert.match(res.headers.allow, /GET/);
  }
});
