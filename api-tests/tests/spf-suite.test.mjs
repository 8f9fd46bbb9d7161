// The SPF conformance suites (RFC 7208: rfc7208-tests.yml, RFC 4408: rfc4408-tests.yml) through
// GET /api/v1/spf. They are read as they are from ../shared/spf-testsuite/ beside the repository
// (SPF_TESTSUITE_DIR overrides). Each scenario gets its own fixture DNS server serving the
// scenario's zonedata and its own server (so no DNS cache crosses zones); each test asks
// GET /api/v1/spf?ip=<host>&sender=<mailfrom>&helo=<helo> and passes when the answer is 200,
// valid per openapi.yaml, with a result the suite accepts and, where the suite gives one, its
// explanation ("DEFAULT": the service's own). The unit test server/tests/test_spf_suite.c runs
// the same suites below HTTP; the zone semantics are the fixture's (server/tests/dnsfix.h).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { checkResponse, get, repoRoot, startDnsFixture, startServer } from '../lib/server.mjs';

const suiteDir = process.env.SPF_TESTSUITE_DIR
  ? path.resolve(process.env.SPF_TESTSUITE_DIR)
  : path.join(repoRoot, '..', 'shared', 'spf-testsuite');
const SUITES = ['rfc7208-tests.yml', 'rfc4408-tests.yml'];

/**
 * The scenarios of a suite file. The failsafe schema keeps every scalar a string, as the suite
 * runners read them (an address such as 1:2:3 is not a number); YAML escapes such as "\xe9" are
 * code points, which the fixture sends UTF-8 encoded.
 */
function loadSuite(file) {
  const text = readFileSync(path.join(suiteDir, file), 'utf8');
  const scenarios = [];
  for (const doc of YAML.parseAllDocuments(text, { schema: 'failsafe' })) {
    assert.deepEqual(doc.errors.map((e) => e.message), [], `${file}: YAML errors`);
    const s = doc.toJS();
    if (s) scenarios.push(s);
  }
  return scenarios;
}

/** One zonedata entry in the fixture's zone JSON: the same types and markers, MX preference a number. */
function zoneEntry(e) {
  if (typeof e === 'string') return e; // the TIMEOUT marker
  const [[type, value], ...rest] = Object.entries(e);
  assert.equal(rest.length, 0, `one type per zonedata entry: ${JSON.stringify(e)}`);
  if (type === 'MX') return { MX: [Number(value[0]), value[1]] };
  return { [type]: value };
}

/** A scenario's zonedata as a fixture zone: the names in order, each with its entries in order. */
function zoneOf(zonedata) {
  const names = {};
  for (const [name, entries] of Object.entries(zonedata ?? {})) {
    names[name] = (entries ?? []).filter((e) => typeof e !== 'string' || e === 'TIMEOUT').map(zoneEntry);
  }
  return { names };
}

/** Why the answer to a suite test is not what the suite accepts, or null. */
function mismatch(t, r) {
  const accepted = Array.isArray(t.result) ? t.result : [t.result];
  if (!accepted.includes(r.result)) return `result ${r.result}, the suite accepts ${accepted.join(' or ')}`;
  if (t.explanation === 'DEFAULT' && r.explanation === null) return 'no explanation, the suite wants the default one';
  if (t.explanation !== undefined && t.explanation !== 'DEFAULT' && r.explanation !== t.explanation) {
    return `explanation ${JSON.stringify(r.explanation)}, the suite wants ${JSON.stringify(t.explanation)}`;
  }
  return null;
}

/** Runs one scenario on its own fixture DNS server and server; returns [passed, total]. */
async function runScenario(t, file, scenario) {
  const dns = await startDnsFixture({ zone: zoneOf(scenario.zonedata) });
  let server;
  let passed = 0;
  const tests = Object.entries(scenario.tests ?? {});
  try {
    server = await startServer({ dns: dns.address });
    for (const [name, st] of tests) {
      const query = new URLSearchParams({ ip: st.host });
      if (st.mailfrom !== undefined) query.set('sender', st.mailfrom);
      if (st.helo !== undefined) query.set('helo', st.helo);
      const title = `${file} ${scenario.description}/${name} (spec ${st.spec ?? '?'})`;
      let ok = false;
      await t.test(title, async () => {
        const res = await get(server.url, `/api/v1/spf?${query}`);
        assert.equal(res.status, 200, `${title}: ${res.describe()}`);
        checkResponse(res, '/api/v1/spf');
        const why = mismatch(st, res.json);
        assert.equal(why, null, `${title}: ${why}\n  GET /api/v1/spf?${query}\n  reason: ${res.json.reason}`);
        ok = true;
      });
      if (ok) passed++;
    }
  } finally {
    try {
      if (server) await server.stop();
    } finally {
      await dns.stop();
    }
  }
  return [passed, tests.length];
}

for (const file of SUITES) {
  test(`${file} through GET /api/v1/spf: every test gets a result the suite accepts`, async (t) => {
    assert.ok(existsSync(path.join(suiteDir, file)),
      `${path.join(suiteDir, file)} is missing: the suites live in ../shared/spf-testsuite/ beside the repository (or set SPF_TESTSUITE_DIR)`);
    let passed = 0;
    let total = 0;
    for (const scenario of loadSuite(file)) {
      const [p, n] = await runScenario(t, file, scenario);
      passed += p;
      total += n;
    }
    const line = `${file}: ${passed} of ${total} tests pass through GET /api/v1/spf`;
    t.diagnostic(line);
    assert.ok(total > 0, `${file} has tests`);
    assert.equal(passed, total, line);
  });
}
