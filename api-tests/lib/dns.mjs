// The project's fixture DNS server (build/dns-fixture, server/tests/dnsfix.h) for the API
// tests: every DNS question the service under test asks goes to it on 127.0.0.1, never to a
// real resolver.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The fixture binary (DNS_FIXTURE_BIN overrides, for a build elsewhere). */
export const dnsFixturePath = process.env.DNS_FIXTURE_BIN
  ? path.resolve(process.env.DNS_FIXTURE_BIN)
  : path.join(repoRoot, 'build', 'dns-fixture');
/** The zone every test server gets unless a test brings its own. */
export const defaultZonePath = path.join(repoRoot, 'api-tests', 'fixtures', 'dns', 'zone.json');

const START_DEADLINE_MS = 10_000;
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/**
 * Start the fixture DNS server on an ephemeral port of 127.0.0.1.
 * @param {object} [opts]
 * @param {object} [opts.zone]      a zone (the JSON format of server/tests/dnsfix.h)
 * @param {string} [opts.zoneFile]  or a zone file (default: fixtures/dns/zone.json)
 * @param {string[]} [opts.args]    extra arguments (--delay-ms N, --drop, --nxdomain, ...)
 * @returns {Promise<{port: number, address: string, stop: () => Promise<void>, stderr: () => string,
 *   reload: (zone: object) => Promise<void>}>}
 *   reload: serve another zone from now on (a fixture started with opts.zone only): the file is
 *   rewritten and the fixture told by SIGHUP; resolves once it says it has read it
 */
export async function startDnsFixture(opts = {}) {
  if (!existsSync(dnsFixturePath)) {
    throw new Error(`the fixture DNS server ${dnsFixturePath} does not exist: build it with \`make build/dns-fixture\``);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bouncedoc-dns-'));
  let zoneFile = opts.zoneFile ?? defaultZonePath;
  if (opts.zone) {
    zoneFile = path.join(dir, 'zone.json');
    writeFileSync(zoneFile, JSON.stringify(opts.zone));
  }
  const portFile = path.join(dir, 'port');
  const child = spawn(dnsFixturePath, ['--zone', zoneFile, '--port-file', portFile, ...(opts.args ?? [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  child.unref();
  child.stderr.unref?.();
  let err = '';
  child.stderr.on('data', (c) => { err += c.toString('utf8'); });
  let exited = null;
  const done = new Promise((resolve) => {
    child.on('close', (code, signal) => { live.delete(child); exited = { code, signal }; resolve(exited); });
    child.on('error', (e) => { live.delete(child); exited = { code: null, signal: null, error: e }; resolve(exited); });
  });
  const deadline = Date.now() + START_DEADLINE_MS;
  let port = 0;
  while (!port) {
    if (exited) throw new Error(`the fixture DNS server exited before it listened: ${err}`);
    if (existsSync(portFile)) port = Number(readFileSync(portFile, 'utf8').trim());
    if (!port) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the fixture DNS server did not start within ${START_DEADLINE_MS} ms: ${err}`);
      }
      await delay(10);
    }
  }
  const stop = async () => {
    if (!exited) {
      child.ref();
      child.kill('SIGTERM');
      await done;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const reloads = () => (err.match(/^dns-fixture: reloaded /gm) ?? []).length;
  const reload = async (zone) => {
    if (!opts.zone) throw new Error('reload: the fixture was not started with a zone of its own');
    const before = reloads();
    writeFileSync(zoneFile, JSON.stringify(zone));
    child.kill('SIGHUP');
    const until = Date.now() + START_DEADLINE_MS;
    while (reloads() === before) {
      if (exited) throw new Error(`the fixture DNS server exited: ${err}`);
      if (Date.now() > until) throw new Error(`the fixture DNS server did not reload its zone: ${err}`);
      await delay(10);
    }
  };
  return { port, address: `127.0.0.1:${port}`, stop, stderr: () => err, reload };
}
