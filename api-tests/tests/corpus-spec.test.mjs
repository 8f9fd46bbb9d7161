// Every email of the shared bounce corpus (../shared/corpus/sisimai), in English and Russian,
// with the live checks on (against the fixture DNS server): every answer follows openapi.yaml,
// nullable fields included, and no result contradicts itself.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { checkResponse, post, repoRoot, startServer } from '../lib/server.mjs';

const CORPUS = path.join(repoRoot, '..', 'shared', 'corpus', 'sisimai', 'emails');

let server;
before(async () => { server = await startServer({ args: ['--checks-deadline-ms', '500'] }); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

function emails(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

test('every corpus email answers per openapi.yaml, and its results agree with themselves', { skip: !existsSync(CORPUS) && `no corpus at ${CORPUS}` }, async () => {
  const files = emails(CORPUS);
  assert.ok(files.length >= 500, `${files.length} corpus emails`);
  let results = 0;
  for (const f of files) {
    for (const lang of ['en', 'ru']) {
      const res = await post(server.url, `/api/v1/diagnose?lang=${lang}`, readFileSync(f), { 'Content-Type': 'message/rfc822' });
      assert.equal(res.status, 200, `${f}: ${res.describe()}`);
      checkResponse(res, '/api/v1/diagnose');
      for (const r of res.json.results) {
        results++;
        const ctx = `${path.basename(f)} (${lang}): ${r.reason} permanent=${r.permanent} fix_by=${r.fix_by}`;
        if (r.permanent === null) {
          assert.equal(r.hard_bounce, false, ctx);
          assert.equal(r.permanent_source, null, ctx);
        } else {
          assert.equal(typeof r.fix_by, 'string', ctx);
        }
        if (r.permanent === true) assert.notEqual(r.fix_by, 'retry', ctx);
      }
    }
  }
  console.log(`${files.length} corpus emails, ${results} results, each in en and ru, valid per openapi.yaml`);
});
