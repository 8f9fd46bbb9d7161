// {"messages": [...]}: several bounces in one request, for helpdesk tools.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertProblem, checkResponse, diagnose, post, startServer } from '../lib/server.mjs';

const D = '/api/v1/diagnose?checks=none';
let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

const MESSAGES = [
  '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com',
  '452 4.2.2 The email account that you tried to reach is over quota.',
  '   ',
  '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table',
];

test('a batch answers one diagnosis per message, in order, each as a single request would', async () => {
  const res = await post(server.url, D, { messages: MESSAGES, lang: 'ru' });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  const { lang, diagnoses } = res.json;
  assert.equal(lang, 'ru');
  assert.equal(diagnoses.length, MESSAGES.length);
  assert.equal(diagnoses[0].results[0].reason, 'authfailure');
  assert.equal(diagnoses[1].results[0].reason, 'mailboxfull');
  assert.equal(diagnoses[2].code, 'empty-text');
  assert.equal(diagnoses[2].status, 422);
  assert.equal(diagnoses[3].results[0].reason, 'userunknown');
  for (const i of [0, 1, 3]) {
    const single = await diagnose(server.url, MESSAGES[i], { lang: 'ru' });
    assert.deepEqual(diagnoses[i], single.json, `message ${i} differs from its single answer`);
  }
});

test('a batch must be a non-empty list of at most 100 strings, alone or with lang', async () => {
  for (const body of [
    { messages: [] },
    { messages: 'x' },
    { messages: [1] },
    { messages: Array(101).fill('550 x') },
    { messages: ['x'], text: 'y' },
    {},
  ]) {
    const res = await post(server.url, D, body);
    assertProblem(res, 400, 'invalid-request');
  }
  const res = await post(server.url, D, { messages: Array(100).fill('550 5.1.1 user unknown') });
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.json.diagnoses.length, 100);
});

test('a batch with live checks: each message gets its own, all run together, each as a single request would', async () => {
  const messages = [
    '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com',
    '550 5.7.1 192.0.2.7 is not allowed to send mail from slow.example',
    '452 4.2.2 The email account that you tried to reach is over quota.',
  ];
  const res = await post(server.url, '/api/v1/diagnose?checks=auto', { messages });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  const { diagnoses } = res.json;
  assert.equal(diagnoses[0].checks.spf.status, 'checked');
  assert.equal(diagnoses[0].checks.spf.domain, 'example.com');
  // the fixture answers slow.example 10 s late: this one ends without holding the others back
  assert.equal(diagnoses[1].checks.spf.status, 'not_checked');
  assert.deepEqual(diagnoses[2].checks, {}, 'a full mailbox calls for no check');
  for (const i of [0, 1, 2]) {
    const single = await diagnose(server.url, messages[i], { query: 'checks=auto' });
    assert.deepEqual(diagnoses[i], single.json, `message ${i} differs from its single answer`);
  }
});
