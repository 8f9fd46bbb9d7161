// Live MX checks: GET /api/v1/mx and checks.mx of POST /api/v1/diagnose, against the fixture
// DNS server (fixtures/dns/checks-zone.json): two exchanges over IPv4 and IPv6, a null MX, an
// implicit MX, an exchange that does not exist, one that is an alias, a domain that does not exist.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { codes, diagnoseText, getCheck, startChecksServer } from '../lib/checks.mjs';

let server;
before(async () => { server = await startChecksServer(); });
after(async () => { if (server) await server.stop(); });

const mx = (domain, lang) => getCheck(server, '/api/v1/mx', lang ? { domain, lang } : { domain });

/** The findings that say something is wrong (the fixture's documentation addresses aside). */
const wrong = (c) => c.problems.filter((p) => p.level !== 'info');

test('two exchanges, by preference, with their IPv4 and IPv6 addresses', async () => {
  const c = await mx('two-mx.example');
  assert.equal(c.status, 'checked');
  assert.equal(c.summary, null, 'no bounce: no claim to weigh');
  assert.equal(c.domain, 'two-mx.example');
  assert.equal(c.null_mx, false);
  assert.equal(c.implicit, false);
  assert.equal(c.omitted, 0);
  assert.deepEqual(c.mx, [
    { preference: 10, host: 'mx1.two-mx.example', status: 'resolved', alias_of: null, addresses: ['203.0.113.25', '2001:db8::25'], addresses_omitted: 0, not_checked_reason: null },
    { preference: 20, host: 'mx2.two-mx.example', status: 'resolved', alias_of: null, addresses: ['2001:db8::26'], addresses_omitted: 0, not_checked_reason: null },
  ]);
  assert.deepEqual(wrong(c), []);
  assert.deepEqual(codes(c), ['mx_documentation_address', 'mx_documentation_address'],
    'only that the fixture uses documentation addresses');
  const again = await mx('Two-MX.Example.');
  assert.equal(again.domain, 'two-mx.example', 'the domain as asked: lower case, no final dot');
});

test('null MX (RFC 7505): the domain accepts no mail', async () => {
  const c = await mx('null-mx.example');
  assert.equal(c.status, 'checked');
  assert.equal(c.null_mx, true);
  assert.deepEqual(c.mx, []);
  assert.deepEqual(c.problems, [{
    code: 'null_mx',
    level: 'error',
    text: 'null-mx.example publishes a null MX (one MX record ".", RFC 7505): it says it accepts no mail, so mail to it cannot be delivered.',
  }]);
});

test('no MX record but an A record: the domain itself is the exchange (implicit MX)', async () => {
  const c = await mx('implicit-mx.example');
  assert.equal(c.implicit, true);
  assert.equal(c.null_mx, false);
  assert.deepEqual(c.mx.map((x) => [x.preference, x.host, x.status, x.addresses]),
    [[0, 'implicit-mx.example', 'resolved', ['203.0.113.30']]]);
  assert.deepEqual(codes(c).filter((x) => x !== 'mx_documentation_address'), ['implicit_mx']);
  assert.equal(c.problems[0].level, 'info');
});

test('an exchange that does not exist: no_address, and mail cannot be delivered', async () => {
  const c = await mx('dead-mx.example');
  assert.equal(c.status, 'checked', 'NXDOMAIN is an answer, not a failed lookup');
  assert.deepEqual(c.mx, [{
    preference: 10, host: 'gone.dead-mx.example', status: 'no_address', alias_of: null, addresses: [], addresses_omitted: 0, not_checked_reason: null,
  }]);
  assert.deepEqual(c.problems.map((p) => [p.code, p.level]), [['mx_not_found', 'error']]);
  assert.match(c.problems[0].text, /gone\.dead-mx\.example, a mail server \(MX\) of dead-mx\.example, does not exist \(NXDOMAIN\)/);
});

test('an exchange that is an alias (CNAME): followed, and flagged (RFC 2181 §10.3)', async () => {
  const c = await mx('cname-mx.example');
  assert.deepEqual(c.mx.map((x) => [x.host, x.status, x.alias_of, x.addresses]),
    [['alias.cname-mx.example', 'cname', 'real.cname-mx.example', ['203.0.113.31']]]);
  assert.deepEqual(wrong(c).map((p) => [p.code, p.level]), [['mx_is_cname', 'warning']]);
  assert.match(wrong(c)[0].text, /name real\.cname-mx\.example in the MX record/);
});

test('a domain that does not exist: no exchange, mail to it cannot be delivered', async () => {
  const c = await mx('absent.example');
  assert.equal(c.status, 'checked');
  assert.deepEqual(c.mx, []);
  assert.deepEqual(c.problems, [{
    code: 'domain_not_found', level: 'error', text: 'absent.example does not exist (NXDOMAIN): mail to it cannot be delivered.',
  }]);
});

test('lang=ru: the findings in Russian, the data as it is', async () => {
  const c = await mx('null-mx.example', 'ru');
  assert.equal(c.null_mx, true);
  assert.match(c.problems[0].text, /^null-mx\.example публикует нулевую MX-запись/);
});

test('diagnosis: "no MX records for domain2.example" gets checks.mx of that domain', async () => {
  const d = await diagnoseText(server, '451 4.4.3 Temporary failure: no MX records for domain2.example');
  assert.equal(d.results[0].reason, 'notaccept');
  assert.equal(d.results[0].recipient, null, 'no recipient: the domain the bounce names');
  assert.deepEqual(Object.keys(d.checks), ['mx']);
  const c = d.checks.mx;
  assert.equal(c.status, 'checked');
  assert.equal(c.domain, 'domain2.example');
  assert.equal(c.summary, 'domain2.example says in DNS that it accepts no mail: the address cannot receive messages at all.');
  assert.deepEqual(codes(c), ['accepts_no_mail']);

  const fine = await diagnoseText(server, '451 4.4.3 Temporary failure: no MX records for two-mx.example');
  assert.equal(fine.checks.mx.domain, 'two-mx.example');
  assert.equal(fine.checks.mx.summary, 'two-mx.example has working mail servers now (mx1.two-mx.example first): '
    + 'the trouble the receiver reported was probably temporary. Send the message again.');
});

test('diagnosis: an unknown user gets checks.mx of the recipient\'s domain', async () => {
  const gone = await diagnoseText(server, '550 5.1.1 <bob@absent.example>: Recipient address rejected: User unknown');
  assert.equal(gone.results[0].reason, 'userunknown');
  assert.equal(gone.checks.mx.domain, 'absent.example');
  assert.match(gone.checks.mx.summary, /^absent\.example does not exist in DNS now: no mail can reach it\./);

  const fine = await diagnoseText(server, '550 5.1.1 <bob@two-mx.example>: Recipient address rejected: User unknown');
  assert.match(fine.checks.mx.summary, /^The mail servers of two-mx\.example are in order now \(mx1\.two-mx\.example first\), so the refusal came from the domain itself: the address is the problem\./);

  const dead = await diagnoseText(server, '550 5.1.1 <bob@dead-mx.example>: Recipient address rejected: User unknown');
  assert.match(dead.checks.mx.summary, /^The mail servers of dead-mx\.example cannot be reached now/);

  const ru = await diagnoseText(server, '550 5.1.1 <bob@null-mx.example>: Recipient address rejected: User unknown', 'ru');
  assert.match(ru.checks.mx.summary, /[\u0400-\u04ff]/, `the summary in Russian: ${ru.checks.mx.summary}`);
});
