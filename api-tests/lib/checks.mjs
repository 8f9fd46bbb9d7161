// The live checks' set-up for the black-box tests (tests/checks-*.test.mjs): a fixture DNS
// server serving fixtures/dns/checks-zone.json (or a zone of the test's), the server under test
// asking it, with the blocklists of fixtures/dnsbl-test.json, and small helpers to ask the check
// endpoints and diagnose whole bounce messages. Every answer is validated against openapi.yaml.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkResponse, diagnose, get, post, repoRoot, startServer } from './server.mjs';

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

export const checksZonePath = path.join(repoRoot, 'api-tests', 'fixtures', 'dns', 'checks-zone.json');
export const dnsblConfigPath = path.join(repoRoot, 'api-tests', 'fixtures', 'dnsbl-test.json');

/** A fresh copy of the checks' zone, to change. */
export const checksZone = () => JSON.parse(readFileSync(checksZonePath, 'utf8'));

/**
 * Start the server under test with the test blocklists, and a fixture DNS server of its own
 * (server.fixture) that logs every question (--verbose, see asked()); stop() stops both.
 * @param {object} [opts]
 * @param {object} [opts.zone]  a zone instead of fixtures/dns/checks-zone.json
 * @param {string[]} [opts.args]  more arguments for the server
 * @param {boolean} [opts.tested]  wait until every blocklist has been health-tested
 */
export async function startChecksServer(opts = {}) {
  const server = await startServer({
    dnsFixture: { ...(opts.zone ? { zone: opts.zone } : { zoneFile: checksZonePath }), args: ['--verbose'] },
    args: ['--dnsbl-config', dnsblConfigPath, ...(opts.args ?? [])],
  });
  if (opts.tested) await dnsblTested(server);
  return server;
}

/** Assert the given fields of actual, each exactly (the others are not looked at). */
export function assertFields(actual, expected, message) {
  assert.deepEqual(Object.fromEntries(Object.keys(expected).map((k) => [k, actual?.[k]])), expected, message);
}

let markers = 0;

/**
 * The questions the fixture DNS server was asked so far, as "name TYPE" lines (lower case, no
 * final dot). The fixture logs a question when it arrives, on a pipe that may lag behind the
 * HTTP answer: a marker question is sent last, and its line awaited, so that every question
 * asked before the call is in the list.
 */
export async function asked(server) {
  const marker = `marker-${process.pid}-${++markers}.invalid`;
  const query = Buffer.concat([
    Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
    ...marker.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0, 0, 1, 0, 1]),
  ]);
  const sock = dgram.createSocket('udp4');
  const [host, port] = server.fixture.address.split(':');
  try {
    await new Promise((resolve, reject) => sock.send(query, Number(port), host, (e) => (e ? reject(e) : resolve())));
    const t0 = Date.now();
    while (!server.fixture.stderr().includes(` ${marker}. A `)) {
      if (Date.now() - t0 > 5000) assert.fail(`the fixture DNS server did not log ${marker}`);
      await delay(5);
    }
  } finally {
    sock.close();
  }
  return [...server.fixture.stderr().matchAll(/^dns-fixture: \S+ \S+ (\S+)\. (\S+) ->/gm)]
    .map((m) => `${m[1].toLowerCase()} ${m[2]}`);
}

/**
 * GET a check endpoint with the query parameters, validated against openapi.yaml.
 * @returns {Promise<any>} the parsed answer (status 200 asserted)
 */
export async function getCheck(server, endpoint, query) {
  const res = await get(server.url, `${endpoint}?${new URLSearchParams(query)}`);
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, endpoint);
  return res.json;
}

/** The same, for an answer that is a 400 invalid-parameter problem; returns its detail. */
export async function getInvalid(server, endpoint, query) {
  const res = await get(server.url, `${endpoint}?${new URLSearchParams(query)}`);
  assert.equal(res.status, 400, res.describe());
  checkResponse(res, endpoint);
  assert.equal(res.json.code, 'invalid-parameter', res.describe());
  return res.json.detail;
}

/** POST /api/v1/diagnose of a bounce text (the checks it calls for run); the answer. */
export async function diagnoseText(server, text, lang) {
  const res = await diagnose(server.url, text, { query: '', lang });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/diagnose');
  return res.json;
}

/** POST /api/v1/diagnose of a whole bounce message (message/rfc822); the answer. */
export async function diagnoseMessage(server, message) {
  const res = await post(server.url, '/api/v1/diagnose', Buffer.from(message, 'utf8'), { 'Content-Type': 'message/rfc822' });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res, '/api/v1/diagnose');
  return res.json;
}

/**
 * A Postfix bounce (multipart/report) of a message from sender to bob@dest.example that
 * dest.example refused with reply (one line), returning the message's header lines.
 */
export function bounceMessage({ sender, reply, returnedHeaders = [] }) {
  const host = `mail.${sender.split('@')[1]}`;
  const boundary = `4ABCD1234.1731576067/${host}`;
  return [
    'Return-Path: <>',
    'Date: Thu, 14 Nov 2024 10:21:07 +0100 (CET)',
    `From: MAILER-DAEMON@${host} (Mail Delivery System)`,
    'Subject: Undelivered Mail Returned to Sender',
    `To: ${sender}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients.',
    '',
    `<bob@dest.example>: host mx.dest.example[198.51.100.25] said: ${reply} (in reply to MAIL FROM command)`,
    '',
    `--${boundary}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${host}`,
    `X-Postfix-Sender: rfc822; ${sender}`,
    '',
    'Final-Recipient: rfc822; bob@dest.example',
    'Action: failed',
    `Status: ${reply.split(' ')[1]}`,
    'Remote-MTA: dns; mx.dest.example',
    `Diagnostic-Code: smtp; ${reply}`,
    '',
    `--${boundary}`,
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    `Return-Path: <${sender}>`,
    ...returnedHeaders,
    `From: <${sender}>`,
    'To: <bob@dest.example>',
    'Subject: Hello',
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** The codes of a check's problems. */
export const codes = (check) => (check.problems ?? []).map((p) => p.code);

/** The entry of one list in a DnsblCheck. */
export function list(check, zone) {
  const l = check.lists.find((x) => x.zone === zone);
  assert.ok(l, `no list ${zone} in ${JSON.stringify(check.lists.map((x) => x.zone))}`);
  return l;
}

/**
 * Wait until every test blocklist has been health-tested (start-up does not wait for the
 * zones' self-tests, dnsbl_health.h): no list reports health "unknown".
 */
export async function dnsblTested(server, ms = 5000) {
  const t0 = Date.now();
  for (;;) {
    const d = await getCheck(server, '/api/v1/dnsbl', { ip: '192.0.2.1', domain: 'tested.example' });
    if (d.lists.every((l) => l.health !== 'unknown')) return;
    if (Date.now() - t0 > ms) assert.fail(`the blocklists were not all tested within ${ms} ms: ${JSON.stringify(d.lists)}`);
    await delay(20);
  }
}
