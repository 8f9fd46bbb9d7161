// Whole bounce emails (message/rfc822): DSNs, prose bounces, feedback reports, auto-replies,
// transfer encodings and charsets, broken MIME and MIME bombs. Each fixture in
// fixtures/eml/ is POSTed as its raw bytes; the answer must follow openapi.yaml and give
// every recipient its own result with the bounce's own codes, stage, action and remote MTA.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertAlive, checkResponse, post, repoRoot, startServer } from '../lib/server.mjs';

const D = '/api/v1/diagnose?checks=none';
const FIXTURES = path.join(repoRoot, 'api-tests', 'fixtures', 'eml');
const BOMB_DEADLINE_MS = 5000;

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

const readFixture = (name) => readFileSync(path.join(FIXTURES, name));
const isAscii = (buf) => buf.every((b) => b < 0x80);

/** POST raw message bytes as message/rfc822; 200, valid per openapi.yaml; the Diagnosis. */
async function diagnoseMessage(bytes, query = D) {
  const res = await post(server.url, query, bytes, { 'Content-Type': 'message/rfc822' });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/diagnose');
  assert.ok(Array.isArray(res.json.results), res.describe());
  return res.json;
}

const brief = (d) => JSON.stringify({
  input: d.input,
  anomalies: d.anomalies,
  results: d.results?.map((r) => ({
    recipient: r.recipient, reason: r.reason, status: r.status, reply_code: r.reply_code,
    smtp_stage: r.smtp_stage, action: r.action, remote_mta: r.remote_mta, permanent: r.permanent,
    rule: r.rule?.id ?? null, diagnostic: r.diagnostic.slice(0, 200),
  })),
  entities: d.entities && {
    sender_domain: d.entities.sender_domain, remote_host: d.entities.remote_host,
    remote_ip: d.entities.remote_ip, sending_ip: d.entities.sending_ip,
  },
}, null, 1);

// ---------------------------------------------------------------------------------------
// The fixtures and what each recipient's result must say.
//
// results: in the order the bounce lists the recipients; every key given must be equal,
// `diagnostic` is a regular expression (flag u) the diagnostic must match.
// entities: sender_domain exact; remote_host exact, or one of a list for bounces about
// several servers; remoteIps maps every receiving server named in the bounce to its IP:
// remote_ip must be the IP of remote_host (or null when the bounce does not say), and
// sending_ip (the address that was refused) can never be a receiving server's address.

const CASES = [
  {
    file: 'postfix-three-recipients.eml',
    what: 'Postfix multipart/report DSN, three recipients: user unknown, over quota, spam after DATA',
    format: 'dsn',
    results: [
      {
        recipient: 'ghost@example.org', reason: 'userunknown', status: '5.1.1', reply_code: '550',
        smtp_stage: 'rcpt', action: 'failed', remote_mta: 'mx.example.org', permanent: true,
        permanent_source: 'status', hard_bounce: true,
        diagnostic: '^550 5\\.1\\.1 <ghost@example\\.org>: Recipient address rejected: User unknown in virtual mailbox table$',
      },
      {
        recipient: 'quota@example.net', reason: 'mailboxfull', status: '5.2.2', reply_code: '552',
        smtp_stage: 'rcpt', action: 'failed', remote_mta: 'mx2.example.net', permanent: true,
        permanent_source: 'status', hard_bounce: false,
        diagnostic: '^552 5\\.2\\.2 <quota@example\\.net>: Recipient address rejected: Mailbox full, over quota$',
      },
      {
        recipient: 'filter@example.com', reason: 'spamdetected', status: '5.7.1', reply_code: '550',
        smtp_stage: 'data', action: 'failed', remote_mta: 'smtp.example.com', permanent: true,
        permanent_source: 'status', hard_bounce: false,
        diagnostic: '^550 5\\.7\\.1 Message rejected as spam by Content Filtering$',
      },
    ],
    entities: {
      sender_domain: 'shop.example.com',
      remote_host: ['mx.example.org', 'mx2.example.net', 'smtp.example.com'],
      remoteIps: { 'mx.example.org': '192.0.2.25', 'mx2.example.net': '198.51.100.12', 'smtp.example.com': '203.0.113.5' },
    },
  },
  {
    file: 'dsn-base64.eml',
    what: 'DSN whose text/plain and message/delivery-status parts are base64',
    format: 'dsn',
    results: [
      {
        recipient: 'dmitri@example.org', reason: 'emailtoolarge', status: '5.3.4', reply_code: '552',
        smtp_stage: 'data', action: 'failed', remote_mta: 'mail.example.org', permanent: true,
        diagnostic: '^552 5\\.3\\.4 Message size exceeds fixed limit$',
      },
    ],
    entities: {
      sender_domain: 'lab.example.net',
      remote_host: 'mail.example.org',
      remoteIps: { 'mail.example.org': '192.0.2.60' },
    },
  },
  {
    file: 'dsn-qp-latin1-folded.eml',
    what: 'DSN with a quoted-printable ISO-8859-1 German notice and a Diagnostic-Code folded over 3 lines',
    format: 'dsn',
    results: [
      {
        // the stage is only in the prose, where a soft line break splits "(in=\r\n reply to"
        recipient: 'juergen.mueller@example.org', reason: 'userunknown', status: '5.1.1', reply_code: '550',
        smtp_stage: 'rcpt', action: 'failed', remote_mta: 'mx.example.org', permanent: true, hard_bounce: true,
        diagnostic: '^550 5\\.1\\.1 <juergen\\.mueller@example\\.org>: Recipient address rejected: User unknown in local recipient table$',
      },
    ],
    entities: {
      sender_domain: 'buero.example.com',
      remote_host: 'mx.example.org',
      remoteIps: { 'mx.example.org': '192.0.2.81' },
    },
  },
  {
    file: 'koi8r-exim-userunknown.eml',
    what: 'Russian Exim-style prose bounce in KOI8-R (8bit), no DSN',
    format: 'bounce',
    results: [
      {
        recipient: 'ivanov@example.org', reason: 'userunknown', status: '5.1.1', reply_code: '550',
        smtp_stage: 'rcpt', permanent: true, hard_bounce: true,
        diagnostic: '550 5\\.1\\.1 <ivanov@example\\.org>: пользователь не найден',
      },
    ],
    entities: {
      sender_domain: 'corp.example.com',
      remote_host: 'mx.example.org',
      remoteIps: { 'mx.example.org': '192.0.2.140' },
    },
  },
  {
    file: 'exim-two-recipients.eml',
    what: 'Exim prose bounce, X-Failed-Recipients with two addresses, one SMTP error block each',
    format: 'bounce',
    results: [
      {
        recipient: 'anna@example.org', reason: 'userunknown', status: '5.1.1', reply_code: '550',
        smtp_stage: 'rcpt', permanent: true, hard_bounce: true,
        diagnostic: 'RCPT TO:<anna@example\\.org>: 550 5\\.1\\.1 <anna@example\\.org>: Recipient address rejected: User unknown in local recipient table',
      },
      {
        recipient: 'boris@example.net', reason: 'mailboxfull', status: '5.2.2', reply_code: '552',
        smtp_stage: 'rcpt', permanent: true, hard_bounce: false,
        diagnostic: 'RCPT TO:<boris@example\\.net>: 552 5\\.2\\.2 <boris@example\\.net>: Mailbox full',
      },
    ],
    // each recipient's diagnostic is its own block, not the other's
    notInDiagnostic: [/boris@example\.net|Mailbox full/u, /anna@example\.org|User unknown/u],
    entities: {
      sender_domain: 'mail.example.com',
      remote_host: ['mx.example.org', 'mx.example.net'],
      remoteIps: { 'mx.example.org': '192.0.2.40', 'mx.example.net': '198.51.100.60' },
    },
  },
  {
    file: 'dsn-delivered.eml',
    what: 'success DSN (Action: delivered)',
    format: 'dsn',
    results: [
      {
        recipient: 'henry@example.org', reason: 'delivered', status: '2.0.0', reply_code: '250',
        action: 'delivered', remote_mta: 'mx.example.org', permanent: null, permanent_source: null,
        hard_bounce: false, fix_by: null, fix_by_label: null,
        diagnostic: '^250 2\\.0\\.0 Ok: queued as 7C1A2B3D4E$',
      },
    ],
    entities: {
      sender_domain: 'team.example.com',
      // nothing was refused: the receiving server, or nothing; never the reporting MTA
      remote_host: ['mx.example.org', null],
      remoteIps: { 'mx.example.org': '192.0.2.15' },
    },
  },
  {
    file: 'arf-abuse.eml',
    what: 'ARF feedback report (Feedback-Type: abuse)',
    format: 'feedback',
    feedback_type: 'abuse',
    results: [{ reason: 'feedback', permanent: null, fix_by: 'sender' }],
    entities: { sender_domain: 'news.example.com', sending_ip: '203.0.113.25' },
  },
  {
    file: 'autoreply-out-of-office.eml',
    what: 'RFC 3834 auto-reply (Auto-Submitted: auto-replied, out of office)',
    format: 'autoreply',
    results: [{ reason: 'vacation', permanent: null, fix_by: null }],
    entities: { sender_domain: 'example.com' },
  },
  {
    file: 'broken-mime-unclosed.eml',
    what: 'broken MIME: boundary never closed, undeclared charset with 8-bit text, invalid base64',
    format: 'dsn',
    anomalies: ['malformed_mime'],
    results: [
      {
        recipient: 'mia@example.org', reason: 'userunknown', status: '5.1.1', reply_code: '550',
        smtp_stage: 'rcpt', action: 'failed', remote_mta: 'mail.example.org', permanent: true,
        diagnostic: '^550 5\\.1\\.1 <mia@example\\.org>: Recipient address rejected: User unknown$',
      },
    ],
    entities: {
      sender_domain: 'example.com',
      remote_host: 'mail.example.org',
      remoteIps: { 'mail.example.org': '192.0.2.99' },
    },
  },
];

function checkDiagnosis(c, d, bytes) {
  const ctx = `${c.file}: ${brief(d)}`;
  assert.equal(d.lang, 'en', ctx);
  assert.equal(d.input.format, c.format, `input.format\n${ctx}`);
  assert.equal(d.input.bytes, bytes.length, `input.bytes\n${ctx}`);
  if (c.feedback_type !== undefined) assert.equal(d.input.feedback_type, c.feedback_type, `input.feedback_type\n${ctx}`);
  for (const a of c.anomalies ?? []) assert.ok(d.anomalies.includes(a), `anomalies should include ${a}\n${ctx}`);
  if (!c.anomalies) {
    assert.ok(!d.anomalies.includes('malformed_mime'), `a well-formed message is reported as malformed_mime\n${ctx}`);
  }

  assert.equal(d.results.length, c.results.length, `one result per recipient\n${ctx}`);
  c.results.forEach((want, i) => {
    const got = d.results[i];
    for (const [k, v] of Object.entries(want)) {
      if (k === 'diagnostic') {
        assert.match(got.diagnostic, new RegExp(v, 'u'), `results.${i}.diagnostic\n${ctx}`);
      } else {
        assert.deepEqual(got[k], v, `results.${i}.${k}\n${ctx}`);
      }
    }
    // the diagnostic is one line of valid text, whatever the transfer encoding and folding
    assert.doesNotMatch(got.diagnostic, /[\r\n\t\uFFFD]/u, `results.${i}.diagnostic is not one clean line\n${ctx}`);
    if (c.notInDiagnostic) {
      assert.doesNotMatch(got.diagnostic, c.notInDiagnostic[i], `results.${i}.diagnostic holds another recipient's block\n${ctx}`);
    }
    if (got.status && got.reply_code) {
      assert.equal(got.status[0], got.reply_code[0], `status and reply code classes differ in results.${i}\n${ctx}`);
    }
  });

  // every entity mismatch at once, so that one run shows all of them
  const e = d.entities;
  const w = c.entities;
  const wrong = [];
  if ('sender_domain' in w && e.sender_domain !== w.sender_domain) {
    wrong.push(`entities.sender_domain is ${JSON.stringify(e.sender_domain)}, expected ${JSON.stringify(w.sender_domain)}`);
  }
  if ('sending_ip' in w && e.sending_ip !== w.sending_ip) {
    wrong.push(`entities.sending_ip is ${JSON.stringify(e.sending_ip)}, expected ${JSON.stringify(w.sending_ip)}`);
  }
  if ('remote_host' in w) {
    const allowed = Array.isArray(w.remote_host) ? w.remote_host : [w.remote_host];
    if (!allowed.includes(e.remote_host)) {
      wrong.push(`entities.remote_host is ${JSON.stringify(e.remote_host)}, expected ${allowed.map((x) => JSON.stringify(x)).join(' or ')} (the receiving server that refused the message)`);
    }
  }
  if (w.remoteIps) {
    if (e.remote_ip !== null && e.remote_ip !== w.remoteIps[e.remote_host]) {
      wrong.push(`entities.remote_ip ${e.remote_ip} is not the address of remote_host ${e.remote_host}`);
    }
    if (Object.values(w.remoteIps).includes(e.sending_ip)) {
      wrong.push(`entities.sending_ip ${e.sending_ip} is a receiving server's address (${Object.entries(w.remoteIps).map(([h, ip]) => `${h}[${ip}]`).join(', ')}), not the refused sender's`);
    }
  }
  assert.deepEqual(wrong, [], `${wrong.join('\n')}\n${ctx}`);
}

const answers = new Map(); // file -> the message/rfc822 answer, for the JSON and batch tests

for (const c of CASES) {
  test(`${c.file}: ${c.what}`, async () => {
    const bytes = readFixture(c.file);
    assert.ok(bytes.includes(Buffer.from('\r\n')) && !/[^\r]\n/.test(bytes.toString('latin1')),
      `${c.file} must have CRLF line ends`);
    const d = await diagnoseMessage(bytes);
    answers.set(c.file, d);
    checkDiagnosis(c, d, bytes);
  });
}

test('the KOI8-R bounce: Cyrillic decoded to UTF-8 in the diagnostic, also in a Russian answer', async () => {
  const bytes = readFixture('koi8r-exim-userunknown.eml');
  const d = await diagnoseMessage(bytes, `${D}&lang=ru`);
  assert.equal(d.lang, 'ru');
  assert.equal(d.results.length, 1, brief(d));
  const r = d.results[0];
  assert.equal(r.reason, 'userunknown', brief(d));
  assert.match(r.diagnostic, /\p{Script=Cyrillic}/u);
  assert.match(r.diagnostic, /пользователь не найден/u);
  assert.doesNotMatch(r.diagnostic, /[\uFFFD\u00C0-\u00FF]/u, 'mojibake or replacement characters in the diagnostic');
  assert.match(r.summary, /\p{Script=Cyrillic}/u);
});

const ASCII_CASES = CASES.filter((c) => isAscii(readFixture(c.file)));

test('the same messages as JSON {"text"} (decoded as latin1) get the same answers', async () => {
  assert.ok(ASCII_CASES.length >= 5, 'most fixtures are 7-bit');
  for (const c of ASCII_CASES) {
    const bytes = readFixture(c.file);
    const viaRfc822 = answers.get(c.file) ?? await diagnoseMessage(bytes);
    const res = await post(server.url, D, { text: bytes.toString('latin1') });
    assert.equal(res.status, 200, res.describe());
    checkResponse(res);
    assert.deepEqual(res.json, viaRfc822, `${c.file}: JSON and message/rfc822 answers differ`);
  }
});

test('the same messages as text/plain get the same answers', async () => {
  for (const c of CASES) {
    const bytes = readFixture(c.file);
    const viaRfc822 = answers.get(c.file) ?? await diagnoseMessage(bytes);
    const res = await post(server.url, D, bytes, { 'Content-Type': 'text/plain' });
    assert.equal(res.status, 200, res.describe());
    checkResponse(res);
    assert.deepEqual(res.json, viaRfc822, `${c.file}: text/plain and message/rfc822 answers differ`);
  }
});

test('a batch {"messages": [...]} of the fixtures gives the same diagnoses as single requests', async () => {
  const files = [...ASCII_CASES.map((c) => c.file), 'postfix-two-recipients.eml', 'not-a-bounce.eml', 'qp-latin1.eml'];
  const texts = files.map((f) => readFixture(f).toString('latin1'));
  const res = await post(server.url, D, { messages: texts });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  assert.equal(res.json.lang, 'en');
  assert.equal(res.json.diagnoses.length, files.length);
  for (const [i, f] of files.entries()) {
    const single = await post(server.url, D, { text: texts[i] });
    assert.equal(single.status, 200, single.describe());
    assert.deepEqual(res.json.diagnoses[i], single.json, `${f}: the batch answer differs from the single answer`);
    const raw = readFixture(f);
    if (isAscii(raw)) {
      assert.deepEqual(res.json.diagnoses[i], await diagnoseMessage(raw), `${f}: the batch answer differs from the message/rfc822 answer`);
    }
  }
  const three = res.json.diagnoses[files.indexOf('postfix-three-recipients.eml')];
  assert.deepEqual(three.results.map((r) => r.reason), ['userunknown', 'mailboxfull', 'spamdetected']);
});

test('control characters in a DSN field become spaces, as in pasted text', async () => {
  // found by fuzz_bounce: Diagnostic-Code bytes reached the answer raw (\u0000 in the JSON)
  const src = readFixture('postfix-three-recipients.eml');
  const from = Buffer.from('550 5.7.1 Message rejected as spam by Content');
  const at = src.indexOf(from);
  assert.ok(at > 0);
  const bad = Buffer.from(from);
  bad[17] = 0x00; // "Message\0rejected"
  bad[29] = 0x07; // "as\aspam"
  const bytes = Buffer.concat([src.subarray(0, at), bad, src.subarray(at + from.length)]);
  const d = await diagnoseMessage(bytes);
  assert.equal(d.results.length, 3, brief(d));
  const r = d.results[2];
  assert.doesNotMatch(r.diagnostic, /[\u0000-\u001f\u007f]/u, `control characters in the diagnostic: ${JSON.stringify(r.diagnostic)}`);
  assert.ok(d.anomalies.includes('control_characters'), `anomalies should include control_characters: ${brief(d)}`);
  assert.equal(r.reason, 'spamdetected', brief(d));
});

// ---------------------------------------------------------------------------------------
// MIME bombs, built here: 200 or a clean 4xx within the deadline, and the server lives on.

const HDR = 'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n'
  + 'To: owen@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n'
  + 'Date: Sat, 21 Dec 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n';

function depthBomb(levels) {
  let msg = `${HDR}Content-Type: text/plain; charset=us-ascii\r\n\r\n`
    + '<deep@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 User unknown\r\n'
    + '    (in reply to RCPT TO command)\r\n';
  for (let i = 0; i < levels; i++) {
    msg = `From: MAILER-DAEMON@relay${i}.example.net\r\nTo: owen@example.com\r\n`
      + `Subject: Fwd: level ${i}\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n${msg}`;
  }
  return Buffer.from(msg, 'latin1');
}

function partBomb(parts, dsnFirst) {
  let msg = `${HDR}Content-Type: multipart/report; report-type=delivery-status; boundary="b0mb"\r\n\r\n`;
  if (dsnFirst) {
    msg += '--b0mb\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n'
      + 'Final-Recipient: rfc822; many@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n'
      + 'Remote-MTA: dns; mx.example.org\r\nDiagnostic-Code: smtp; 550 5.1.1 <many@example.org>: User unknown\r\n\r\n';
  }
  msg += '--b0mb\r\n\r\n'.repeat(parts);
  msg += '--b0mb--\r\n';
  return Buffer.from(msg, 'latin1');
}

function nestedMultipart(levels) {
  let msg = `${HDR}Content-Type: multipart/mixed; boundary="L0"\r\n\r\n`;
  for (let i = 1; i < levels; i++) msg += `--L${i - 1}\r\nContent-Type: multipart/mixed; boundary="L${i}"\r\n\r\n`;
  msg += `--L${levels - 1}\r\nContent-Type: text/plain\r\n\r\n550 5.1.1 <deep@example.org>: User unknown\r\n`;
  for (let i = levels - 1; i >= 0; i--) msg += `--L${i}--\r\n`;
  return Buffer.from(msg, 'latin1');
}

async function assertBombSurvived(name, bytes) {
  const t0 = Date.now();
  const res = await post(server.url, D, bytes, { 'Content-Type': 'message/rfc822' }, { timeout: BOMB_DEADLINE_MS });
  const ms = Date.now() - t0;
  assert.ok(ms < BOMB_DEADLINE_MS, `${name}: answered after ${ms} ms`);
  assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `${name}: expected 200 or a 4xx: ${res.describe()}`);
  if (res.status !== 200) assert.equal(res.mediaType, 'application/problem+json', res.describe());
  checkResponse(res, '/api/v1/diagnose');
  await assertAlive(server);
  return res;
}

test('depth bomb: message/rfc822 nested 100 times', async () => {
  const res = await assertBombSurvived('depth bomb', depthBomb(100));
  if (res.status === 200) {
    assert.ok(res.json.results.length >= 1);
    assert.ok(res.json.anomalies.includes('malformed_mime'), `nesting beyond the limit is an anomaly: ${brief(res.json)}`);
  }
});

test('part bomb: 5,000 empty parts', async () => {
  const res = await assertBombSurvived('part bomb', partBomb(5000, false));
  if (res.status === 200) {
    assert.ok(res.json.results.length >= 1);
    assert.ok(res.json.anomalies.includes('malformed_mime'), `more parts than the limit is an anomaly: ${brief(res.json)}`);
  }
});

test('part bomb after a DSN part: the recipient before the flood is still found', async () => {
  const res = await assertBombSurvived('part bomb with DSN', partBomb(5000, true));
  assert.equal(res.status, 200, res.describe());
  const d = res.json;
  assert.equal(d.input.format, 'dsn', brief(d));
  assert.equal(d.results.length, 1, brief(d));
  assert.equal(d.results[0].recipient, 'many@example.org', brief(d));
  assert.equal(d.results[0].reason, 'userunknown', brief(d));
});

test('multipart nested 100 deep', async () => {
  await assertBombSurvived('nested multipart', nestedMultipart(100));
});

test('the bombs again, many at once: still alive', async () => {
  const bombs = [depthBomb(100), partBomb(5000, false), nestedMultipart(100), depthBomb(1000)];
  const all = await Promise.all(bombs.map((b) => post(server.url, D, b, { 'Content-Type': 'message/rfc822' }, { timeout: BOMB_DEADLINE_MS * 2 })));
  for (const res of all) {
    assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), res.describe());
    checkResponse(res, '/api/v1/diagnose');
  }
  await assertAlive(server);
});

// Last on purpose: with the bug present the server dies, and nothing after this could run.
test('a NUL inside a recipient address (DSN Final-Recipient, X-Failed-Recipients) does not kill the server', async () => {
  // found by fuzz_bounce: message_address() took strrchr(p, '@') of a copy cut at the NUL,
  // got NULL and wrote through it (SIGSEGV); see server/tests/fuzz/corpus/bounce/crash-*-nul.eml
  const dsn = Buffer.from(`${HDR}Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n`
    + '--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n'
    + 'Final-Recipient: rfc822; many\u0000@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n'
    + 'Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n--b--\r\n', 'latin1');
  const prose = Buffer.from(`${HDR}X-Failed-Recipients: many\u0000@example.org\r\nContent-Type: text/plain\r\n\r\n`
    + 'This message was created automatically by mail delivery software.\r\n\r\n  550 5.1.1 User unknown\r\n', 'latin1');
  for (const [name, bytes] of [['Final-Recipient', dsn], ['X-Failed-Recipients', prose]]) {
    let res;
    try {
      res = await post(server.url, D, bytes, { 'Content-Type': 'message/rfc822' }, { timeout: BOMB_DEADLINE_MS });
    } catch (e) {
      await new Promise((r) => setTimeout(r, 200));
      assert.fail(`${name} with a NUL: no answer (${e.message}); server exit: ${JSON.stringify(server.exitStatus())}`);
    }
    assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `${name}: ${res.describe()}`);
    checkResponse(res, '/api/v1/diagnose');
    if (res.status === 200) {
      assert.doesNotMatch(JSON.stringify(res.json), /\\u0000/, `${name}: a NUL in the answer`);
      assert.equal(res.json.results[0].reason, 'userunknown', `${name}: ${brief(res.json)}`);
    }
    await assertAlive(server);
  }
});
