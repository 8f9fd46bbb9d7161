// ESP event notifications pasted or forwarded by helpdesk tools: Amazon SES's JSON
// (through SNS) says in a field what kind of event it reports.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkResponse, post, startServer } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

const complaint = {
  notificationType: 'Complaint',
  complaint: {
    complainedRecipients: [{ emailAddress: 'reader@example.org' }],
    timestamp: '2026-11-28T10:00:00.000Z',
    feedbackId: '0100017a-example',
    complaintFeedbackType: 'abuse',
  },
  mail: { source: 'news@example.com', destination: ['reader@example.org'] },
};

const message = (body) => [
  'From: "AWS Notifications" <no-reply@sns.amazonaws.com>',
  'To: ops@example.com',
  'Subject: AWS Notification Message',
  'Date: Sat, 28 Nov 2026 10:00:01 +0000',
  'Message-ID: <0000-example@email.amazonses.com>',
  'Content-Type: text/plain; charset=UTF-8',
  '',
  body,
  '',
].join('\r\n');

test('an SES complaint notification is a feedback report about its complained recipient', async () => {
  const res = await post(server.url, '/api/v1/diagnose?checks=none',
    Buffer.from(message(JSON.stringify(complaint))), { 'Content-Type': 'message/rfc822' });
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  assert.equal(res.json.input.format, 'feedback');
  assert.equal(res.json.results[0].reason, 'feedback');
  assert.equal(res.json.results[0].recipient, 'reader@example.org');
});
