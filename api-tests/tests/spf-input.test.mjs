// GET /api/v1/spf takes sender and helo as SMTP carries them: a quoted local part with spaces,
// no local part, no '@', the null reverse-path "<>", a HELO name that is no host name, UTF-8
// (RFC 6531) are evaluated as RFC 7208 says, seen through the macros of an exp= explanation;
// control characters, bytes that are not UTF-8 and values over the RFC 5321 sizes are 400
// problems. Its own zone, on its own fixture DNS server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertProblem, checkResponse, get, startDnsFixture, startServer } from '../lib/server.mjs';

// macro.example fails everyone; its explanation shows the macro values, and the trace shows the
// names %{l} and %{h} expanded into.
const zone = {
  names: {
    'macro.example': [{ TXT: 'v=spf1 exists:%{l}.user.macro.example a:%{h}.helo.macro.example -all exp=why.macro.example' }],
    'why.macro.example': [{ TXT: 'l=%{l} o=%{o} s=%{s} h=%{h} d=%{d}' }],
  },
};

let dns;
let server;
before(async () => {
  dns = await startDnsFixture({ zone });
  server = await startServer({ dns: dns.address });
});
after(async () => {
  try {
    if (server && !server.exitStatus()) await server.stop();
  } finally {
    if (dns) await dns.stop();
  }
});

const spf = (query) => get(server.url, `/api/v1/spf?${typeof query === 'string' ? query : new URLSearchParams(query)}`);

async function spfOk(query) {
  const res = await spf(query);
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/spf');
  return res.json;
}

const IP = '192.0.2.7';
const lookups = (r) => r.trace.map((s) => s.lookup).filter((l) => l !== null);

test('a quoted local part with a space is evaluated: %{l} keeps the quotes and the space', async () => {
  const r = await spfOk({ ip: IP, sender: '"Macro Error"@macro.example', helo: 'mail.example.com' });
  assert.equal(r.status, 'checked');
  assert.equal(r.result, 'fail');
  assert.equal(r.sender, '"Macro Error"@macro.example', 'the sender is echoed as given');
  assert.equal(r.domain, 'macro.example');
  assert.equal(r.explanation, 'l="Macro Error" o=macro.example s="Macro Error"@macro.example h=mail.example.com d=macro.example');
  assert.ok(lookups(r).includes('A "macro error".user.macro.example'), lookups(r).join('; '));
  // the suites' form, unquoted
  const bare = await spfOk({ ip: IP, sender: 'Macro Error@macro.example', helo: 'mail.example.com' });
  assert.equal(bare.result, 'fail');
  assert.match(bare.explanation, /^l=Macro Error o=macro\.example /);
});

test('no local part, or no @ at all: the local part is postmaster (RFC 7208 §4.3)', async () => {
  const empty = await spfOk({ ip: IP, sender: '@macro.example', helo: 'mail.example.com' });
  assert.equal(empty.domain, 'macro.example');
  assert.equal(empty.explanation, 'l=postmaster o=macro.example s=postmaster@macro.example h=mail.example.com d=macro.example');
  const bare = await spfOk({ ip: IP, sender: 'macro.example', helo: 'mail.example.com' });
  assert.equal(bare.domain, 'macro.example');
  assert.equal(bare.explanation, 'l=postmaster o=macro.example s=postmaster@macro.example h=mail.example.com d=macro.example');
});

test('an empty sender and the null reverse-path "<>" check postmaster@<helo> (RFC 7208 §2.4)', async () => {
  for (const sender of ['', '<>']) {
    const r = await spfOk({ ip: IP, sender, helo: 'macro.example' });
    assert.equal(r.domain, 'macro.example', `sender ${JSON.stringify(sender)}`);
    assert.equal(r.result, 'fail');
    assert.equal(r.explanation, 'l=postmaster o=macro.example s=postmaster@macro.example h=macro.example d=macro.example');
  }
});

test('a HELO name that is no host name is evaluated: it is %{h}; as the HELO identity it gives none', async () => {
  const r = await spfOk({ ip: IP, sender: 'a@macro.example', helo: "JUMPIN' JUPITER" });
  assert.equal(r.result, 'fail');
  assert.equal(r.helo, "JUMPIN' JUPITER");
  assert.equal(r.explanation, "l=a o=macro.example s=a@macro.example h=JUMPIN' JUPITER d=macro.example");
  assert.ok(lookups(r).includes("A jumpin' jupiter.helo.macro.example"), lookups(r).join('; '));
  // only a HELO name: the HELO identity (RFC 7208 §2.3), which must be a multi-label domain name
  const h = await spfOk({ ip: IP, helo: "JUMPIN' JUPITER" });
  assert.equal(h.status, 'checked');
  assert.equal(h.result, 'none');
  assert.match(h.reason, /not a valid multi-label domain name/);
  assert.equal(h.record, null);
  assert.deepEqual(h.trace, []);
});

test('UTF-8 local parts and HELO names (RFC 6531) are evaluated as they are', async () => {
  const r = await spfOk({ ip: IP, sender: 'пользователь@macro.example', helo: 'é.example' });
  assert.equal(r.result, 'fail');
  assert.equal(r.sender, 'пользователь@macro.example');
  assert.equal(r.explanation, 'l=пользователь o=macro.example s=пользователь@macro.example h=é.example d=macro.example');
});

test('control characters and bytes that are not UTF-8 in sender or helo are 400 problems', async () => {
  const bad = ['a\tb@macro.example', 'a\nb@macro.example', 'a\rb@macro.example', 'a\u0001@macro.example',
    'a\u007f@macro.example', 'a\u0085@macro.example' /* C1 NEL */, 'a\u009b@macro.example'];
  for (const v of bad) {
    const s = await spf({ ip: IP, sender: v, helo: 'mail.example.com' });
    assertProblem(s, 400, 'invalid-parameter', '/api/v1/spf');
    assert.match(s.json.detail, /^sender holds a control character at octet 2/, JSON.stringify(v));
    const h = await spf({ ip: IP, sender: 'a@macro.example', helo: v.replace('@', '.') });
    assertProblem(h, 400, 'invalid-parameter', '/api/v1/spf');
    assert.match(h.json.detail, /^helo holds a control character/, JSON.stringify(v));
  }
  // %FF and a lone continuation byte: no URLSearchParams can write them
  for (const q of [`ip=${IP}&sender=%FF@macro.example`, `ip=${IP}&sender=a@macro.example&helo=mail%80.example`]) {
    const res = await spf(q);
    assertProblem(res, 400, 'invalid-parameter', '/api/v1/spf');
    assert.match(res.json.detail, /not UTF-8/, q);
  }
  // the other parameters are names and addresses: no spaces there
  assertProblem(await spf({ ip: IP, domain: 'macro .example' }), 400, 'invalid-parameter', '/api/v1/spf');
});

test('sizes: the local part up to 64 octets, the domain up to 255, the sender up to 320, helo up to 255', async () => {
  const local64 = 'l'.repeat(64);
  const dom255 = `${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(61)}.x`;
  assert.equal(dom255.length, 255);
  // the largest sender: evaluated (255 octets are more than a DNS name holds: none)
  const big = await spfOk({ ip: IP, sender: `${local64}@${dom255}`, helo: 'mail.example.com' });
  assert.equal(big.result, 'none');
  assert.equal((await spfOk({ ip: IP, sender: `${local64}@macro.example` })).result, 'fail');
  const over = [
    [{ sender: `${local64}l@macro.example` }, /local part of sender is 65 octets long/],
    [{ sender: `a@${dom255}d` }, /domain of sender is 256 octets long/],
    [{ sender: `${local64}@${dom255}x` }, /sender is 321 octets long/],
    [{ sender: `<${local64}@${dom255}>` }, /sender is 322 octets long/],
    [{ sender: '', helo: 'h'.repeat(256) }, /helo is 256 octets long/],
    // octets, not characters: 128 é are 256 octets
    [{ sender: '', helo: 'é'.repeat(128) }, /helo is 256 octets long/],
    [{ sender: `${'ж'.repeat(33)}@macro.example` }, /local part of sender is 66 octets long/],
  ];
  for (const [q, detail] of over) {
    const res = await spf({ ip: IP, ...q });
    assertProblem(res, 400, 'invalid-parameter', '/api/v1/spf');
    assert.match(res.json.detail, detail);
  }
  const helo255 = await spfOk({ ip: IP, sender: '', helo: `${'h'.repeat(63)}.${'h'.repeat(63)}.${'h'.repeat(63)}.${'h'.repeat(63)}` });
  assert.equal(helo255.result, 'none');
});
