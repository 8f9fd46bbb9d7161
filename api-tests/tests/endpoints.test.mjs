// Every endpoint other than the diagnosis itself: health, metrics, the OpenAPI document, the
// page and its static files (content types, ETag / If-None-Match), 404 and 405.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertProblem, checkResponse, diagnose, get, openapiPath, repoRoot, request, startServer,
} from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

test('GET /healthz: JSON with status ok, version, uptime and the number of rules', async () => {
  const res = await get(server.url, '/healthz');
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.mediaType, 'application/json', res.describe());
  checkResponse(res);
  const h = res.json;
  assert.equal(h.status, 'ok');
  assert.ok(h.version.length > 0, 'version is empty');
  assert.ok(Number.isInteger(h.uptime_seconds) && h.uptime_seconds >= 0);
  assert.ok(Number.isInteger(h.rules) && h.rules > 0, `rules loaded: ${h.rules}`);
});

function promSamples(text, name) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)(\s+-?\d+)?$/);
    if (m && m[1] === name) out.push({ labels: m[2] ?? '', value: Number(m[3]) });
  }
  return out;
}

test('GET /metrics: Prometheus text with bouncedoc_http_requests_total, a counter that counts', async () => {
  await diagnose(server.url, '550 No Such User Here');
  const res = await get(server.url, '/metrics');
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.mediaType, 'text/plain', res.describe());
  checkResponse(res);
  const text = res.text;
  assert.match(text, /^bouncedoc_http_requests_total(\{[^}]*\})? /m, `no bouncedoc_http_requests_total sample:\n${text.slice(0, 3000)}`);
  // Text format 0.0.4: every line is a comment (# HELP / # TYPE), a sample or empty.
  const bad = text.split('\n').filter((l) => l !== '' && !/^#/.test(l)
    && !/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( -?\d+)?$/.test(l));
  assert.deepEqual(bad, [], 'lines that are not in the Prometheus text format');
  const typeLine = text.split('\n').find((l) => /^# TYPE bouncedoc_http_requests_total /.test(l));
  assert.ok(typeLine, 'no # TYPE line for bouncedoc_http_requests_total');
  assert.match(typeLine, / counter$/);
  const sum = (t) => promSamples(t, 'bouncedoc_http_requests_total').reduce((a, s) => a + s.value, 0);
  const before = sum(text);
  assert.ok(before >= 1, `bouncedoc_http_requests_total adds up to ${before} after a request`);
  for (let i = 0; i < 3; i++) await diagnose(server.url, '550 No Such User Here');
  const after2 = sum((await get(server.url, '/metrics')).text);
  assert.ok(after2 >= before + 3, `bouncedoc_http_requests_total went from ${before} to ${after2} over 3 more requests`);
});

test('GET /openapi.yaml: the very bytes of openapi.yaml, as YAML', async () => {
  const res = await get(server.url, '/openapi.yaml');
  assert.equal(res.status, 200, res.describe());
  assert.match(res.mediaType, /^(application|text)\/(x-)?yaml$/, `not a YAML content type: ${res.contentType}`);
  assert.ok(res.body.equals(readFileSync(openapiPath)), `served ${res.body.length} bytes that differ from openapi.yaml`);
  checkResponse(res);
});

test('GET /: the HTML page, with a Content-Security-Policy', async () => {
  const res = await get(server.url, '/');
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.mediaType, 'text/html', res.describe());
  checkResponse(res);
  const csp = res.headers['content-security-policy'];
  assert.ok(csp && csp.trim().length > 0, `no Content-Security-Policy header: ${JSON.stringify(res.headers)}`);
  assert.match(res.text, /<html[\s>]/i);
  assert.ok(res.body.equals(readFileSync(path.join(repoRoot, 'static', 'index.html'))), 'GET / is not static/index.html');
});

for (const [file, types] of [['app.js', ['text/javascript', 'application/javascript']], ['style.css', ['text/css']]]) {
  test(`GET /${file}: the file, its content type and an ETag; If-None-Match gives 304`, async () => {
    const res = await get(server.url, `/${file}`);
    assert.equal(res.status, 200, res.describe());
    assert.ok(types.includes(res.mediaType), `content type ${res.contentType}, expected ${types.join(' or ')}`);
    assert.ok(res.body.equals(readFileSync(path.join(repoRoot, 'static', file))), `GET /${file} is not static/${file}`);
    const etag = res.headers.etag;
    assert.ok(etag, `no ETag: ${JSON.stringify(res.headers)}`);
    assert.match(etag, /^(W\/)?"[^"]*"$/, `ETag is not a quoted entity tag: ${etag}`);

    const again = await get(server.url, `/${file}`);
    assert.equal(again.headers.etag, etag, 'the ETag changes between two requests of the same file');

    const cached = await get(server.url, `/${file}`, { 'If-None-Match': etag });
    assert.equal(cached.status, 304, cached.describe());
    assert.equal(cached.body.length, 0, '304 with a body');
    assert.equal(cached.headers.etag, etag, '304 must repeat the ETag');

    const listed = await get(server.url, `/${file}`, { 'If-None-Match': `"nope", ${etag}` });
    assert.equal(listed.status, 304, `If-None-Match with a list that holds the tag: ${listed.describe()}`);

    const other = await get(server.url, `/${file}`, { 'If-None-Match': '"not-the-etag"' });
    assert.equal(other.status, 200, `If-None-Match with another tag: ${other.describe()}`);
    assert.ok(other.body.equals(res.body));
  });
}

test('an unknown path is 404 not-found as problem+json', async () => {
  for (const p of ['/nope', '/api/v1/nope', '/static/app.js.bak', '/healthz/extra']) {
    const res = await get(server.url, p);
    assertProblem(res, 404, 'not-found', '/nope');
  }
});

test('GET /api/v1/diagnose is 405 method-not-allowed with Allow: POST', async () => {
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const res = await request(server.url, { method, path: '/api/v1/diagnose' });
    assertProblem(res, 405, 'method-not-allowed', '/api/v1/diagnose');
    const allow = (res.headers.allow ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    assert.ok(allow.includes('POST'), `${method}: Allow header is ${JSON.stringify(res.headers.allow)}`);
    assert.ok(!allow.includes(method), `${method}: Allow lists the refused method: ${res.headers.allow}`);
  }
});

test('POST /healthz is 405 method-not-allowed with Allow naming GET', async () => {
  const res = await request(server.url, { method: 'POST', path: '/healthz', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assertProblem(res, 405, 'method-not-allowed', '/healthz');
  assert.match(res.headers.allow ?? '', /\bGET\b/, `Allow: ${res.headers.allow}`);
});

test('clean SIGTERM shutdown: exit code 0', async () => {
  const st = await server.stop();
  assert.equal(st.code, 0);
});
