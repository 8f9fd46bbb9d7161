// Diagnosis semantics that case files cannot express: language negotiation compared across
// requests, and text/plain giving the very answer JSON gives.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkResponse, diagnose, post, startServer } from '../lib/server.mjs';

const D = '/api/v1/diagnose?checks=none';
const CYRILLIC = /\p{Script=Cyrillic}/u;
const BLOCKLIST = 'rejected because 198.51.100.23 is in black list at abl.masterhost.ru';
let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

function ok(res) {
  assert.equal(res.status, 200, res.describe());
  checkResponse(res);
  return res.json;
}

test('no language asked for: English, Content-Language: en', async () => {
  const res = await diagnose(server.url, BLOCKLIST);
  const d = ok(res);
  assert.equal(d.lang, 'en');
  assert.equal(res.headers['content-language'], 'en');
  const r = d.results[0];
  for (const f of ['title', 'summary', 'explanation', 'fix_by_label']) {
    assert.doesNotMatch(r[f], CYRILLIC, `English ${f} holds Cyrillic: ${r[f]}`);
  }
});

test('Accept-Language: ru gives Russian texts and Content-Language: ru', async () => {
  const res = await diagnose(server.url, BLOCKLIST, { headers: { 'Accept-Language': 'ru' } });
  const d = ok(res);
  assert.equal(d.lang, 'ru');
  assert.equal(res.headers['content-language'], 'ru');
  const r = d.results[0];
  assert.equal(r.reason, 'blocked');
  for (const f of ['title', 'summary', 'explanation', 'fix_by_label']) {
    assert.match(r[f], CYRILLIC, `Russian ${f} has no Cyrillic: ${r[f]}`);
  }
  assert.ok(r.fix.length > 0 && r.fix.some((s) => CYRILLIC.test(s)), `Russian fix steps: ${JSON.stringify(r.fix)}`);
});

test('the Russian and English answers differ only in their texts', async () => {
  const en = ok(await diagnose(server.url, BLOCKLIST, { query: 'checks=none&lang=en' }));
  const ru = ok(await diagnose(server.url, BLOCKLIST, { query: 'checks=none&lang=ru' }));
  const strip = (d) => ({
    ...d,
    lang: undefined,
    results: d.results.map((r) => ({
      ...r, title: undefined, summary: undefined, explanation: undefined, fix: undefined, fix_by_label: undefined,
      decision: undefined, rule: r.rule && { ...r.rule, title: undefined },
      reply_code_info: undefined, status_info: undefined,
    })),
  });
  assert.deepEqual(strip(ru), strip(en));
});

test('?lang=en overrides Accept-Language: ru', async () => {
  const res = await diagnose(server.url, BLOCKLIST, { query: 'checks=none&lang=en', headers: { 'Accept-Language': 'ru' } });
  const d = ok(res);
  assert.equal(d.lang, 'en');
  assert.equal(res.headers['content-language'], 'en');
  assert.doesNotMatch(d.results[0].summary, CYRILLIC);
});

test('?lang=ru overrides Accept-Language: en', async () => {
  const res = await diagnose(server.url, BLOCKLIST, { query: 'checks=none&lang=ru', headers: { 'Accept-Language': 'en' } });
  const d = ok(res);
  assert.equal(d.lang, 'ru');
  assert.equal(res.headers['content-language'], 'ru');
  assert.match(d.results[0].summary, CYRILLIC);
});

test('the JSON lang field overrides Accept-Language', async () => {
  const res = await diagnose(server.url, BLOCKLIST, { lang: 'en', headers: { 'Accept-Language': 'ru' } });
  const d = ok(res);
  assert.equal(d.lang, 'en');
  assert.equal(res.headers['content-language'], 'en');
});

for (const text of [
  BLOCKLIST,
  '550-5.1.1 The email account that you tried to reach does not exist.',
  'Connected to recipient-mx.com:203.0.113.9 but sender was rejected.\nRemote host said: 550 5.1.0 198.51.100.23 is not allowed to send from <example.com> per it\'s SPF Record.',
  'Привет, 550 5.1.1 пользователь не найден <nobody@example.com>',
]) {
  test(`text/plain; charset=utf-8 gives the same answer as JSON: ${JSON.stringify(text.slice(0, 40))}`, async () => {
    const asJson = ok(await diagnose(server.url, text));
    const asText = ok(await post(server.url, D, Buffer.from(text, 'utf8'), { 'Content-Type': 'text/plain; charset=utf-8' }));
    assert.deepEqual(asText, asJson);
    assert.equal(asJson.input.bytes, Buffer.byteLength(text, 'utf8'));
  });
}

test('text/plain without a charset is read as UTF-8 too', async () => {
  const text = '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown';
  const asJson = ok(await diagnose(server.url, text));
  const asText = ok(await post(server.url, D, Buffer.from(text, 'utf8'), { 'Content-Type': 'text/plain' }));
  assert.deepEqual(asText, asJson);
});

test('the answer is deterministic: the same text twice gives the same JSON', async () => {
  const a = ok(await diagnose(server.url, BLOCKLIST));
  const b = ok(await diagnose(server.url, BLOCKLIST));
  assert.deepEqual(a, b);
});

test('every candidate rule is listed and exactly one won: the result\'s rule', async () => {
  const d = ok(await diagnose(server.url, BLOCKLIST));
  const r = d.results[0];
  assert.ok(r.rule, 'no rule matched');
  const won = r.matched_rules.filter((m) => m.won);
  assert.equal(won.length, 1, `matched_rules: ${JSON.stringify(r.matched_rules)}`);
  assert.equal(won[0].id, r.rule.id);
  assert.equal(won[0].reason, r.reason);
  for (const m of r.matched_rules) {
    assert.ok(r.diagnostic.toLowerCase().includes(m.matched.toLowerCase()), `matched text ${JSON.stringify(m.matched)} is not in the diagnostic`);
  }
});

test('clean SIGTERM shutdown: exit code 0', async () => {
  const st = await server.stop();
  assert.equal(st.code, 0);
});
