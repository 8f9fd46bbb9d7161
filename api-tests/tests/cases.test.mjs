// Runs every case file of cases/<area>/<name>.json against one server: each case is a test
// of its own, and every response is also checked against openapi.yaml (status, content type,
// schema) and, for problem answers, type = urn:bouncedoc:problem:<code>.
//
// Case file:
// {
//   "name": "what it checks",
//   "tags": ["..."],
//   "request": { "method": "POST", "path": "/api/v1/diagnose?checks=none",
//                "headers": {...},
//                "json": {...} | "body": "raw string" | "bodyBase64": "..." },
//   "expect": { "status": 200, "contentType": "application/json",
//               "headers": { "content-language": "ru" },         (exact, names case-insensitive)
//               "json": { subset },                                (lib/match.mjs)
//               "fields": { "results.0.reason": subset, ... },    (subset at a dotted path)
//               "matchRegex": { "results.0.summary": "[А-я]" } }  (string at the path matches, flag u)
// }
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertSubset, at, checkResponse, request, startServer } from '../lib/server.mjs';

const casesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cases');

function loadCases() {
  const out = [];
  for (const area of readdirSync(casesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    for (const f of readdirSync(path.join(casesDir, area)).filter((n) => n.endsWith('.json')).sort()) {
      const file = path.join(casesDir, area, f);
      let c;
      try {
        c = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        c = { broken: `${file}: ${e.message}` };
      }
      out.push({ area, id: `${area}/${f.replace(/\.json$/, '')}`, file, c });
    }
  }
  return out;
}

function checkCaseShape({ file, c }) {
  assert.ok(!c.broken, c.broken);
  assert.equal(typeof c.name, 'string', `${file}: "name" must be a string`);
  assert.ok(Array.isArray(c.tags ?? []), `${file}: "tags" must be an array`);
  assert.equal(typeof c.request?.path, 'string', `${file}: request.path must be a string`);
  assert.ok(c.request.path.startsWith('/'), `${file}: request.path must start with /`);
  assert.equal(typeof c.expect?.status, 'number', `${file}: expect.status must be a number`);
  const bodies = ['json', 'body', 'bodyBase64'].filter((k) => k in c.request);
  assert.ok(bodies.length <= 1, `${file}: give at most one of request.json, request.body, request.bodyBase64`);
}

function buildRequest(c) {
  const r = c.request;
  const headers = { ...(r.headers ?? {}) };
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  let body;
  if ('json' in r) {
    body = Buffer.from(JSON.stringify(r.json), 'utf8');
    if (!hasType) headers['Content-Type'] = 'application/json';
  } else if ('body' in r) {
    body = Buffer.from(r.body, 'utf8');
    if (!hasType) headers['Content-Type'] = 'text/plain; charset=utf-8';
  } else if ('bodyBase64' in r) {
    body = Buffer.from(r.bodyBase64, 'base64');
  } else if ((r.method ?? 'GET').toUpperCase() !== 'GET' && (r.method ?? 'GET').toUpperCase() !== 'HEAD') {
    body = Buffer.alloc(0);
  }
  return { method: r.method ?? 'GET', path: r.path, headers, body };
}

const cases = loadCases();
let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  // Normally already stopped by the last test; a no-op then.
  if (server && !server.exitStatus()) await server.stop().catch(() => {});
});

test('case files exist for every area', () => {
  const areas = new Set(cases.map((k) => k.area));
  for (const a of ['seeds', 'errors', 'health', 'misc']) assert.ok(areas.has(a), `no case files in cases/${a}/`);
});

describe('cases', () => {
  for (const k of cases) {
    test(`${k.id}${k.c?.name ? `: ${k.c.name}` : ''}`, async () => {
      checkCaseShape(k);
      const { c } = k;
      const res = await request(server.url, buildRequest(c));
      const e = c.expect;
      assert.equal(res.status, e.status, `status: ${res.describe()}`);
      if (e.contentType !== undefined) {
        assert.equal(res.mediaType, e.contentType.toLowerCase(), `content type: ${res.describe()}`);
      }
      checkResponse(res, c.request.path.split('?')[0]);
      for (const [name, value] of Object.entries(e.headers ?? {})) {
        assert.equal(res.headers[name.toLowerCase()], value, `header ${name}: ${res.describe()}`);
      }
      if (e.json !== undefined) assertSubset(res.json, e.json, `${k.id}: body`);
      for (const [p, value] of Object.entries(e.fields ?? {})) {
        const actual = at(res.json, p);
        assert.notEqual(actual, undefined, `${k.id}: ${p} is missing: ${res.describe()}`);
        assertSubset(actual, value, `${k.id}: ${p}`);
      }
      for (const [p, re] of Object.entries(e.matchRegex ?? {})) {
        const actual = at(res.json, p);
        assert.equal(typeof actual, 'string', `${k.id}: ${p} is not a string: ${res.describe()}`);
        assert.match(actual, new RegExp(re, 'u'), `${k.id}: ${p}`);
      }
    });
  }
});

test('the server is still up after all cases and shuts down cleanly on SIGTERM', async () => {
  const st = server.exitStatus();
  assert.equal(st, null, `the server died during the cases: ${JSON.stringify(st)}\nstderr:\n${server.stderr().slice(-4000)}`);
  const status = await server.stop();
  assert.equal(status.code, 0);
});
