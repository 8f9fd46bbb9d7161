// GET /api/v1/check: the live checks for a sending IP and a sender domain, without a bounce,
// answered as a diagnosis's checks; every answer validated against openapi.yaml.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkResponse, get, startServer } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server) await server.stop(); });

test('ip and domain: SPF runs for them, shaped as in a diagnosis, with no claim to compare', async () => {
  const res = await get(server.url, '/api/v1/check?ip=192.0.2.7&domain=example.com');
  checkResponse(res);
  assert.equal(res.status, 200);
  assert.equal(res.json.lang, 'en');
  const spf = res.json.checks.spf;
  assert.equal(spf.status, 'checked');
  assert.equal(spf.result, 'fail');
  assert.equal(spf.domain, 'example.com');
  assert.equal(spf.summary, null, 'no bounce: no claim to weigh');
  assert.ok(spf.fix && spf.fix.result_after === 'pass', JSON.stringify(spf.fix));
});

test('the domain is taken as written: case and a final dot do not matter', async () => {
  const res = await get(server.url, '/api/v1/check?ip=192.0.2.7&domain=EXAMPLE.com.');
  checkResponse(res);
  assert.equal(res.json.checks.spf.domain, 'example.com');
});

test('a check whose input is missing does not run; Russian on request', async () => {
  const res = await get(server.url, '/api/v1/check?domain=example.com&lang=ru');
  checkResponse(res);
  assert.equal(res.headers['content-language'], 'ru');
  assert.deepEqual(Object.keys(res.json.checks).filter((k) => k === 'spf'), [], 'SPF needs the IP');
});

test('bad parameters are 400 problems that name what to send', async () => {
  for (const [q, re] of [
    ['', /at least one of ip, domain/],
    ['ip=192.0.2.300&domain=example.com', /ip must be/],
    ['ip=192.0.2.7&domain=exa%20mple.com', /domain holds a space/],
    ['ip=192.0.2.7&domain=-..example', /domain must be a domain name/],
    [`ip=192.0.2.7&domain=${'a'.repeat(64)}.example`, /domain must be a domain name/],
    ['ip=192.0.2.7&domain=example.com&lang=zz', /lang must be/],
  ]) {
    const res = await get(server.url, `/api/v1/check?${q}`);
    checkResponse(res, '/api/v1/check');
    assert.equal(res.status, 400, `${q}: ${res.describe()}`);
    assert.equal(res.json.code, 'invalid-parameter');
    assert.match(res.json.detail, re, q);
  }
});

test('POST is not allowed', async () => {
  const res = await get(server.url, '/api/v1/check?ip=192.0.2.7', {}, { method: 'POST' });
  assert.equal(res.status, 405);
  assert.match(res.headers.allow, /GET/);
});
