// When DNS cannot be believed or does not answer in time, the live checks say so and find
// nothing: a resolver that answers NXDOMAIN to every question (the DNS canary fails) leaves every
// check endpoint and every check of a diagnosis not_checked with the resolver named; answers
// slower than the checks deadline leave them not_checked with the deadline named. Never a
// finding about the domain or the address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asked, checksZone, diagnoseText, getCheck, startChecksServer } from '../lib/checks.mjs';

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** One request to each endpoint of a single check, about the given names. */
const requests = ({ ip, domain }) => [
  ['/api/v1/mx', { domain }],
  ['/api/v1/ptr', { ip, helo: `mail.${domain}` }],
  ['/api/v1/dnsbl', { ip, domain }],
  ['/api/v1/dmarc', { domain }],
  ['/api/v1/dkim', { domain, selector: 'sel' }],
];

const ROOT_LIE = 'the DNS resolver is not answering correctly (NXDOMAIN for the root zone, which always exists), '
  + 'so nothing it says is evidence';

test('a resolver that answers NXDOMAIN to everything: every check not_checked, the resolver named', async () => {
  const zone = checksZone();
  zone.behaviour['*'] = { nxdomain: true };
  const server = await startChecksServer({ zone });
  try {
    const t0 = Date.now();
    while (!/event=dns_canary_failing /.test(server.stderr())) {
      assert.ok(Date.now() - t0 < 5000, 'the canary fails within 5 s');
      await delay(20);
    }
    const lie = { status: 'not_checked', not_checked_reason: ROOT_LIE };
    // names the zone answers for, so that a lie would be a change of verdict
    const names = { ip: '203.0.113.45', domain: 'two-mx.example' };
    const answers = await Promise.all(requests(names).map(([e, q]) => getCheck(server, e, q)));
    for (const [i, a] of answers.entries()) assert.deepEqual(a, lie, requests(names)[i][0]);

    const all = await getCheck(server, '/api/v1/check', names);
    assert.deepEqual(all, { lang: 'en', checks: { spf: lie, dmarc: lie, ptr: lie, dnsbl: lie, mx: lie } });

    for (const text of [
      '554 5.7.1 Service unavailable; Client host [203.0.113.45] blocked using bl.test',
      '550 5.7.1 Client host rejected: cannot find your reverse hostname, [203.0.113.77]',
      '451 4.4.3 Temporary failure: no MX records for domain2.example',
      '550 5.7.1 192.0.2.7 is not allowed to send mail from reject.example',
    ]) {
      const d = await diagnoseText(server, text);
      assert.ok(Object.keys(d.checks).length > 0, `${text}: the diagnosis calls for checks`);
      for (const [name, c] of Object.entries(d.checks)) assert.deepEqual(c, lie, `${text}: ${name}`);
    }

    const ru = await getCheck(server, '/api/v1/mx', { domain: 'two-mx.example', lang: 'ru' });
    assert.equal(ru.status, 'not_checked');
    assert.match(ru.not_checked_reason, /DNS-сервер .*NXDOMAIN для корневой зоны/);

    const q = await asked(server);
    const checked = ['two-mx.example', 'in-addr.arpa', '_dmarc.', '_domainkey.', '45.113.0.203.', 'domain2.example'];
    assert.deepEqual(q.filter((x) => checked.some((n) => x.includes(n))), [],
      'no check asked anything while the canary failed');
  } finally {
    await server.stop();
  }
});

test('answers slower than the checks deadline: every check not_checked, the deadline named', async () => {
  // fixtures/dns/checks-zone.json delays every name about late.example and 203.0.113.200 by 5 s;
  // the DNS timeout is longer than the deadline, so the deadline ends the lookups
  const server = await startChecksServer({ args: ['--checks-deadline-ms', '400', '--dns-timeout-ms', '6000'] });
  try {
    const names = { ip: '203.0.113.200', domain: 'late.example' };
    const deadline = 'the DNS deadline of this diagnosis passed';
    const t0 = Date.now();
    const [mx, ptr, dnsbl, dmarc, dkim, all] = await Promise.all([...requests(names), ['/api/v1/check', names]]
      .map(([e, q]) => getCheck(server, e, q)));
    assert.ok(Date.now() - t0 < 4000, `answered at the deadline, not after the DNS server (${Date.now() - t0} ms)`);

    const each = [...Object.entries({ mx, ptr, dnsbl, dmarc, dkim }),
      ...Object.entries(all.checks).map(([k, v]) => [`/api/v1/check: ${k}`, v])];
    assert.equal(each.length, 10);
    for (const [name, c] of each) {
      assert.equal(c.status, 'not_checked', name);
      assert.equal(c.not_checked_reason, deadline, name);
      assert.equal(c.summary, null, name);
      assert.deepEqual(c.problems ?? [], [], `${name}: nothing found`);
    }
    assert.deepEqual(mx.mx, []);
    assert.equal(ptr.fcrdns, null, 'not known, not false');
    assert.deepEqual(ptr.names, []);
    assert.equal(dnsbl.listed, false);
    assert.deepEqual(dnsbl.lists.filter((l) => l.status !== 'unhealthy').map((l) => [l.zone, l.status, l.detail]), [
      ['bl.test', 'timeout', deadline],
      ['slow.test', 'timeout', deadline],
      ['dbl.test', 'timeout', deadline],
      ['bits.test', 'timeout', deadline],
      ['allow.test', 'timeout', deadline],
    ]);
    assert.equal(dmarc.policy, null);
    assert.equal(dkim.record, null);
    assert.equal(all.checks.spf.result, 'temperror');

    const d = await diagnoseText(server, '550 5.7.1 Client host rejected: cannot find your reverse hostname, [203.0.113.200]');
    assert.equal(d.checks.ptr.status, 'not_checked');
    assert.equal(d.checks.ptr.not_checked_reason, deadline);
    assert.equal(d.checks.ptr.summary, null, 'the claim is not weighed against what was not checked');

    assert.equal((await getCheck(server, '/api/v1/mx', { domain: 'two-mx.example' })).status, 'checked',
      'names that are not slow are answered');
  } finally {
    await server.stop();
  }
});
