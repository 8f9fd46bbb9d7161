// "bouncedoc diagnose FILE|-": the same JSON as POST /api/v1/diagnose, for scripts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { binaryPath, diagnose, repoRoot, startServer } from '../lib/server.mjs';

const BOUNCES = [
  '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com',
  'host mx.example.org[192.0.2.1] said: 550 5.1.1 <kijitora@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)',
  '452 4.2.2 The email account that you tried to reach is over quota.',
  'rejected because 198.51.100.23 is in black list at abl.masterhost.ru',
];

let server;
let dir;
before(async () => {
  server = await startServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'bouncedoc-cli-'));
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
});

function cli(args, input) {
  return spawnSync(binaryPath, ['diagnose', ...args], {
    cwd: repoRoot, input, encoding: 'utf8', timeout: 10_000,
    // the server's fixture DNS, so that both answer from the same DNS data
    env: { ...process.env, BOUNCEDOC_RULES: path.join(repoRoot, 'rules'), BOUNCEDOC_DNS: server.dns,
      BOUNCEDOC_DNS_TIMEOUT_MS: '300', BOUNCEDOC_DNS_TRIES: '1' },
  });
}

for (const [i, text] of BOUNCES.entries()) {
  for (const lang of ['en', 'ru']) {
    test(`diagnose of a file equals the API answer (${lang}): ${text.slice(0, 40)}`, async () => {
      const file = path.join(dir, `bounce-${i}.txt`);
      writeFileSync(file, text);
      const r = cli(['--lang', lang, file]);
      assert.equal(r.status, 0, r.stderr);
      const api = await diagnose(server.url, text, { lang, query: 'checks=auto' });
      assert.equal(api.status, 200);
      const mine = JSON.parse(r.stdout);
      // the blocklists' health is the server's own, tested since it started; the command
      // runs once and knows none: the lists' answers are the same, their trust may differ
      for (const d of [mine, api.json]) {
        if (d.checks.dnsbl) d.checks.dnsbl = { listed: d.checks.dnsbl.listed };
      }
      assert.deepEqual(mine, api.json);
    });
  }
}

test('diagnose - reads standard input', () => {
  const r = cli(['--no-dns', '-'], BOUNCES[0]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).results[0].reason, 'authfailure');
});

test('diagnose of a missing file, empty input, bad usage', () => {
  let r = cli([path.join(dir, 'no-such-file')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no-such-file/);
  r = cli(['-'], '   \n');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nothing to diagnose/);
  r = cli(['--lang', 'xx', '-'], 'x');
  assert.equal(r.status, 2);
  r = cli([]);
  assert.equal(r.status, 2);
  r = cli(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: bouncedoc diagnose/);
});
