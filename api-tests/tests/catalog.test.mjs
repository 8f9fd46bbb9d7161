// The rule catalog at start-up and at its limits: a reason that the service decides on by name
// but reasons.json lacks stops start-up (naming the file and the reason) instead of crashing the
// request that needs it; a pattern that pcre2 stops at a limit is reported in the answer and
// counted in /metrics, never taken for "no match".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  binaryPath, checkResponse, diagnose, freePort, get, repoRoot, startServer,
} from '../lib/server.mjs';

const RULES = path.join(repoRoot, 'rules');
const RUNAWAY_ID = 'test-runaway';
// Exponential backtracking on a long run of "a" that is not followed by "c" at once.
const RUNAWAY = {
  source: 'zz-test-limit',
  rules: [{
    id: RUNAWAY_ID,
    reason: 'blocked',
    patterns: ['(?:a|aa)+c'],
    examples: ['aac'],
  }],
};

let tmp;
before(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'bouncedoc-catalog-')); });
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

/**
 * A rules directory like the shipped one: reasons.json as given (default: the shipped one), the
 * shipped code tables and catalog files, and extra catalog files.
 */
function rulesDir(name, { reasons, extra = {}, ru } = {}) {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'catalog'), { recursive: true });
  mkdirSync(path.join(dir, 'lang'), { recursive: true });
  if (ru) writeFileSync(path.join(dir, 'lang', 'ru.json'), JSON.stringify(ru));
  else symlinkSync(path.join(RULES, 'lang', 'ru.json'), path.join(dir, 'lang', 'ru.json'));
  for (const f of ['status-codes.json', 'reply-codes.json', 'messages.json', 'providers.json', 'dnsbl.json']) symlinkSync(path.join(RULES, f), path.join(dir, f));
  if (reasons) writeFileSync(path.join(dir, 'reasons.json'), JSON.stringify(reasons));
  else symlinkSync(path.join(RULES, 'reasons.json'), path.join(dir, 'reasons.json'));
  for (const f of readdirSync(path.join(RULES, 'catalog'))) {
    if (f.endsWith('.json')) symlinkSync(path.join(RULES, 'catalog', f), path.join(dir, 'catalog', f));
  }
  for (const [f, doc] of Object.entries(extra)) writeFileSync(path.join(dir, 'catalog', f), JSON.stringify(doc));
  return dir;
}

/** The value of an unlabelled Prometheus sample, or undefined. */
function sample(text, name) {
  const m = text.match(new RegExp(`^${name} (\\S+)$`, 'm'));
  return m ? Number(m[1]) : undefined;
}

test('a reasons.json without a reason the service decides on stops start-up, naming file and reason', async () => {
  const reasons = JSON.parse(readFileSync(path.join(RULES, 'reasons.json'), 'utf8'));
  assert.ok(reasons.reasons.onhold, 'the shipped reasons.json defines onhold');
  delete reasons.reasons.onhold;
  const dir = rulesDir('no-onhold', { reasons });
  const port = await freePort();
  const r = spawnSync(binaryPath, ['--listen', `127.0.0.1:${port}`, '--rules', dir,
    '--static', path.join(repoRoot, 'static')], {
    cwd: repoRoot, encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL',
  });
  assert.equal(r.signal, null, `the server did not stop by itself (${r.signal})\nstderr:\n${r.stderr}`);
  assert.notEqual(r.status, 0, `the server started without onhold\nstderr:\n${r.stderr}`);
  assert.match(r.stderr, /event=rules_invalid/, r.stderr);
  assert.ok(r.stderr.includes(path.join(dir, 'reasons.json')), `stderr names the file:\n${r.stderr}`);
  assert.match(r.stderr, /no \\"onhold\\" entry/, `stderr names the reason:\n${r.stderr}`);

  const cli = spawnSync(binaryPath, ['diagnose', '--no-dns', '--rules', dir, '-'], {
    cwd: repoRoot, input: '550 5.1.1 user unknown', encoding: 'utf8', timeout: 10_000,
  });
  assert.notEqual(cli.status, 0, `diagnose ran without onhold: ${cli.stdout}`);
  assert.match(cli.stderr, /reasons\.json: reasons: no "onhold" entry/, cli.stderr);
});

test('a translation that drops or adds a placeholder stops start-up, naming the file and the id', async () => {
  const ru = JSON.parse(readFileSync(path.join(RULES, 'lang', 'ru.json'), 'utf8'));
  const id = 'reason.userunknown.summary';
  assert.match(ru[id], /\{recipient\|/, 'the shipped translation has {recipient|...}');
  for (const [what, text, want] of [
    ['drops', ru[id].replace(/\{recipient\|[^}]*\}/g, 'получателя'), /drops the placeholder \{recipient\}/],
    ['adds', `${ru[id]} {ip}`, /adds the placeholder \{ip\}/],
  ]) {
    const dir = rulesDir(`ru-${what}`, { ru: { ...ru, [id]: text } });
    const port = await freePort();
    const r = spawnSync(binaryPath, ['--listen', `127.0.0.1:${port}`, '--rules', dir,
      '--static', path.join(repoRoot, 'static')], {
      cwd: repoRoot, encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL',
    });
    assert.equal(r.signal, null, `the server did not stop by itself (${r.signal})\nstderr:\n${r.stderr}`);
    assert.notEqual(r.status, 0, `the server started with a translation that ${what} a placeholder`);
    assert.ok(r.stderr.includes(path.join(dir, 'lang', 'ru.json')), `stderr names the file:\n${r.stderr}`);
    assert.ok(r.stderr.includes(id), `stderr names the id:\n${r.stderr}`);
    assert.match(r.stderr, want, r.stderr);
  }
});

test('bouncedoc texts export and check: every id in English; a stale or missing id makes check fail', async () => {
  const exp = spawnSync(binaryPath, ['texts', 'export', '--rules', RULES], { cwd: repoRoot, encoding: 'utf8', timeout: 10_000 });
  assert.equal(exp.status, 0, exp.stderr);
  const english = JSON.parse(exp.stdout);
  assert.ok(Object.keys(english).length > 2000, `${Object.keys(english).length} ids`);
  assert.match(english['reason.userunknown.title'], /address/i);
  const ru = JSON.parse(readFileSync(path.join(RULES, 'lang', 'ru.json'), 'utf8'));
  // a plural form English lacks ("few", "many") belongs to a family English has ("other")
  const known = (id) => id in english || (/\.(few|many)$/.test(id) && `${id.replace(/\.[a-z]+$/, '')}.other` in english);
  for (const id of Object.keys(ru)) assert.ok(known(id), `ru.json has an id English lacks: ${id}`);

  const dir = rulesDir('ru-stale', { ru: { ...ru, 'rule.gone.title': 'Старое' } });
  const chk = spawnSync(binaryPath, ['texts', 'check', 'ru', '--rules', dir], { cwd: repoRoot, encoding: 'utf8', timeout: 10_000 });
  assert.equal(chk.status, 1, chk.stderr);
  assert.match(chk.stdout, /^stale rule\.gone\.title$/m);
  const bad = spawnSync(binaryPath, ['texts', 'check', 'xx', '--rules', RULES], { cwd: repoRoot, encoding: 'utf8', timeout: 10_000 });
  assert.equal(bad.status, 2, 'an unknown language is a usage error');
});

test('a pattern stopped by the pcre2 match limit: pattern_limit, unevaluated_rules and the counter', async () => {
  const dir = rulesDir('runaway', { extra: { 'zz-test-limit.json': RUNAWAY } });
  const server = await startServer({ args: ['--rules', dir] });
  try {
    const before0 = sample((await get(server.url, '/metrics')).text, 'bouncedoc_pattern_limit_total');
    assert.equal(before0, 0, 'bouncedoc_pattern_limit_total starts at 0');

    const ok = await diagnose(server.url, '550 5.1.1 <a@example.org>: user unknown aac');
    assert.equal(ok.status, 200, ok.describe());
    checkResponse(ok, '/api/v1/diagnose');
    assert.deepEqual(ok.json.results[0].unevaluated_rules, [], 'a plain text leaves no rule unevaluated');
    assert.ok(!ok.json.anomalies.includes('pattern_limit'), `anomalies: ${JSON.stringify(ok.json.anomalies)}`);
    assert.ok(ok.json.results[0].matched_rules.some((m) => m.id === RUNAWAY_ID),
      'the test rule matches a short text');

    const res = await diagnose(server.url, `550 5.7.1 refused ${'a'.repeat(30000)}x c`);
    assert.equal(res.status, 200, res.describe());
    checkResponse(res, '/api/v1/diagnose');
    assert.ok(res.json.anomalies.includes('pattern_limit'), `anomalies: ${JSON.stringify(res.json.anomalies)}`);
    const unevaluated = res.json.results[0].unevaluated_rules;
    assert.ok(unevaluated.includes(RUNAWAY_ID), `unevaluated_rules: ${JSON.stringify(unevaluated)}`);
    assert.ok(!res.json.results[0].matched_rules.some((m) => m.id === RUNAWAY_ID),
      'a rule that could not be evaluated is no candidate');

    const after1 = sample((await get(server.url, '/metrics')).text, 'bouncedoc_pattern_limit_total');
    assert.equal(after1, unevaluated.length, 'the counter counts the rules left unevaluated');
  } finally {
    await server.stop();
  }
});
