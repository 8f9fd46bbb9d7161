// The body size limit: exactly 1 MiB is accepted, one byte more is 413 payload-too-large,
// as text/plain and as JSON.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertAlive, assertProblem, checkResponse, post, startServer } from '../lib/server.mjs';

const MiB = 1024 * 1024;
const D = '/api/v1/diagnose?checks=none';
let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

/** A valid bounce text of exactly n bytes of ASCII (lines end with `eol`). */
function bounceText(n, eol = '\n') {
  const head = `550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown${eol}`;
  const filler = `The original message was received and could not be delivered.${eol}`;
  let s = head;
  while (s.length + filler.length <= n) s += filler;
  s += 'x'.repeat(n - s.length);
  assert.equal(Buffer.byteLength(s), n);
  return s;
}

/** A JSON body {"text": ...} of exactly n bytes. */
function jsonBody(n) {
  const overhead = Buffer.byteLength(JSON.stringify({ text: '' }));
  const body = JSON.stringify({ text: bounceText(n - overhead, ' ') });
  assert.equal(Buffer.byteLength(body), n);
  return Buffer.from(body);
}

test('text/plain body of exactly 1 MiB (1048576 bytes) is accepted', async () => {
  const res = await post(server.url, D, Buffer.from(bounceText(MiB)), { 'Content-Type': 'text/plain; charset=utf-8' });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  assert.equal(res.json.results[0].reason, 'userunknown');
});

test('JSON body of exactly 1 MiB is accepted', async () => {
  const res = await post(server.url, D, jsonBody(MiB), { 'Content-Type': 'application/json' });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  assert.equal(res.json.results[0].reason, 'userunknown');
});

test('text/plain body of 1 MiB + 1 byte is 413 payload-too-large', async () => {
  const res = await post(server.url, D, Buffer.from(bounceText(MiB + 1)), { 'Content-Type': 'text/plain; charset=utf-8' });
  assertProblem(res, 413, 'payload-too-large', '/api/v1/diagnose');
  await assertAlive(server);
});

test('JSON body of 1 MiB + 1 byte is 413 payload-too-large', async () => {
  const res = await post(server.url, D, jsonBody(MiB + 1), { 'Content-Type': 'application/json' });
  assertProblem(res, 413, 'payload-too-large', '/api/v1/diagnose');
  await assertAlive(server);
});

test('8 MiB body is 413 payload-too-large and the server lives', async () => {
  const res = await post(server.url, D, Buffer.alloc(8 * MiB, 'a'), { 'Content-Type': 'text/plain' });
  assertProblem(res, 413, 'payload-too-large', '/api/v1/diagnose');
  await assertAlive(server);
});

test('clean SIGTERM shutdown: exit code 0', async () => {
  const st = await server.stop();
  assert.equal(st.code, 0);
});
