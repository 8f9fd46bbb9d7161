// Live reverse-DNS checks: GET /api/v1/ptr and checks.ptr of POST /api/v1/diagnose, against the
// fixture DNS server (fixtures/dns/checks-zone.json): forward-confirmed names over IPv4 and
// IPv6, a name that resolves elsewhere, no PTR record, generic (dynamic pool) names, HELO names.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { codes, diagnoseText, getCheck, startChecksServer } from '../lib/checks.mjs';

let server;
before(async () => { server = await startChecksServer(); });
after(async () => { if (server) await server.stop(); });

const ptr = (query) => getCheck(server, '/api/v1/ptr', query);

/** The codes of the findings, but for the fixture's documentation addresses (ptr_reserved_ip). */
const found = (c) => codes(c).filter((x) => x !== 'ptr_reserved_ip');

test('FCrDNS pass, IPv4: the PTR name resolves back to the address', async () => {
  const c = await ptr({ ip: '203.0.113.10' });
  assert.equal(c.status, 'checked');
  assert.equal(c.summary, null, 'no bounce: no claim to weigh');
  assert.equal(c.ip, '203.0.113.10');
  assert.equal(c.reverse, '10.113.0.203.in-addr.arpa');
  assert.deepEqual(c.names, [{ name: 'mail.sender.example', confirmed: true, addresses: ['203.0.113.10'], not_checked_reason: null }]);
  assert.equal(c.fcrdns, true);
  assert.equal(c.generic, false);
  assert.equal(c.dynamic, false);
  assert.equal(c.reserved, '203.0.113.0/24');
  assert.equal(c.helo, null);
  assert.deepEqual(found(c), []);
  assert.deepEqual(c.problems.map((p) => p.level), ['info'], 'only that the address is a documentation one');
});

test('FCrDNS pass, IPv6: nibbles under ip6.arpa, confirmed by the AAAA record', async () => {
  const c = await ptr({ ip: '2001:DB8:0::10' });
  assert.equal(c.ip, '2001:db8::10', 'written as RFC 5952 says');
  assert.equal(c.reverse, '0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  assert.deepEqual(c.names, [{ name: 'mail.sender.example', confirmed: true, addresses: ['2001:db8::10'], not_checked_reason: null }]);
  assert.equal(c.fcrdns, true);
  assert.equal(c.reserved, '2001:db8::/32');
  assert.deepEqual(found(c), []);
});

test('FCrDNS fail: the PTR name resolves to another address', async () => {
  const c = await ptr({ ip: '203.0.113.66' });
  assert.equal(c.status, 'checked');
  assert.deepEqual(c.names, [{ name: 'liar.sender.example', confirmed: false, addresses: ['203.0.113.99'], not_checked_reason: null }]);
  assert.equal(c.fcrdns, false);
  assert.deepEqual(c.problems.filter((p) => p.code === 'ptr_not_confirmed').map((p) => p.level), ['error']);
  assert.match(c.problems[0].text, /^liar\.sender\.example, the PTR name of 203\.0\.113\.66, resolves to 203\.0\.113\.99, not to 203\.0\.113\.66/);
});

test('no PTR record: no names, and the finding says so', async () => {
  const c = await ptr({ ip: '203.0.113.99' });
  assert.equal(c.status, 'checked');
  assert.deepEqual(c.names, []);
  assert.equal(c.fcrdns, false);
  assert.deepEqual(found(c), ['ptr_missing']);
  assert.match(c.problems[0].text, /^203\.0\.113\.99 has no PTR record \(99\.113\.0\.203\.in-addr\.arpa: NXDOMAIN, the name does not exist\)/);
});

test('a generic name of a dynamic pool', async () => {
  const confirmed = await ptr({ ip: '203.0.113.78' });
  assert.equal(confirmed.fcrdns, true);
  assert.equal(confirmed.generic, true);
  assert.equal(confirmed.dynamic, true);
  assert.deepEqual(confirmed.problems.filter((p) => p.code !== 'ptr_reserved_ip').map((p) => [p.code, p.level]),
    [['ptr_generic', 'error']]);
  assert.match(confirmed.problems[0].text, /the address is written into it, 203-0-113-78, and it has the word "pool"/);

  const dsl = await ptr({ ip: '203.0.113.77' });
  assert.deepEqual(dsl.names.map((n) => [n.name, n.confirmed]), [['dsl-203-0-113-77.dynamic.isp.test', false]]);
  assert.equal(dsl.generic, true);
  assert.equal(dsl.dynamic, true);
  assert.equal(dsl.fcrdns, false);
  assert.deepEqual(found(dsl), ['ptr_not_confirmed', 'ptr_generic']);
});

test('HELO: a name that is the confirmed PTR name and resolves to the address', async () => {
  const c = await ptr({ ip: '203.0.113.10', helo: 'MAIL.sender.example' });
  assert.deepEqual(c.helo, {
    name: 'MAIL.sender.example', literal: false, fqdn: true, matches_ptr: true, resolves_to_ip: true, not_checked_reason: null,
  });
  assert.deepEqual(found(c), []);
});

test('HELO: another name, one that is no FQDN, an address literal', async () => {
  const other = await ptr({ ip: '203.0.113.10', helo: 'other.sender.example' });
  assert.deepEqual(other.helo, {
    name: 'other.sender.example', literal: false, fqdn: true, matches_ptr: false, resolves_to_ip: false, not_checked_reason: null,
  });
  assert.deepEqual(found(other), ['ptr_helo_mismatch', 'ptr_helo_unresolved']);
  assert.match(other.problems[0].text, /greets as other\.sender\.example in HELO\/EHLO, but the PTR name of 203\.0\.113\.10 is mail\.sender\.example/);
  assert.match(other.problems[1].text, /other\.sender\.example, the name the server greets with, resolves to 203\.0\.113\.11, not to 203\.0\.113\.10/);

  const local = await ptr({ ip: '203.0.113.10', helo: 'localhost' });
  assert.equal(local.helo.fqdn, false);
  assert.equal(local.helo.resolves_to_ip, null, 'not looked up');
  assert.deepEqual(found(local), ['ptr_helo_not_fqdn']);

  const literal = await ptr({ ip: '203.0.113.10', helo: '[203.0.113.10]' });
  assert.equal(literal.helo.literal, true);
  assert.equal(literal.helo.resolves_to_ip, true);
  assert.deepEqual(found(literal), ['ptr_helo_literal']);
});

test('lang=ru: the findings in Russian', async () => {
  const c = await ptr({ ip: '203.0.113.99', lang: 'ru' });
  assert.match(c.problems[0].text, /^У адреса 203\.0\.113\.99 нет PTR-записи/);
});

const NO_RDNS = '550 5.7.1 Client host rejected: cannot find your reverse hostname, [203.0.113.77]';

test('diagnosis: "cannot find your reverse hostname" gets checks.ptr, and the complaint holds', async () => {
  const d = await diagnoseText(server, NO_RDNS);
  assert.equal(d.results[0].reason, 'requireptr');
  assert.deepEqual(Object.keys(d.checks), ['ptr']);
  const c = d.checks.ptr;
  assert.equal(c.status, 'checked');
  assert.equal(c.ip, '203.0.113.77');
  assert.equal(c.summary, "The receiver's complaint holds now: the PTR name of 203.0.113.77, dsl-203-0-113-77.dynamic.isp.test, "
    + "does not resolve back to 203.0.113.77. Add the address to the name's A/AAAA records, or change the PTR name to one that does.");

  const missing = await diagnoseText(server, NO_RDNS.replace('203.0.113.77', '203.0.113.99'));
  assert.match(missing.checks.ptr.summary, /^The receiver's complaint holds now: 203\.0\.113\.99 has no PTR name/);

  const fixed = await diagnoseText(server, NO_RDNS.replace('203.0.113.77', '203.0.113.10'));
  assert.match(fixed.checks.ptr.summary, /^203\.0\.113\.10 has a PTR name now, mail\.sender\.example, and it points back to 203\.0\.113\.10/);

  const ru = await diagnoseText(server, NO_RDNS, 'ru');
  assert.match(ru.checks.ptr.summary, /[\u0400-\u04ff]/, `the summary in Russian: ${ru.checks.ptr.summary}`);
});
