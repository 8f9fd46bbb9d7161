// Starting the real server binary for black-box tests, and checking responses against
// openapi.yaml.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { get, request } from './http.mjs';
import { startDnsFixture } from './dns.mjs';

export { request, get, post, diagnose, preview, rawExchange, connect } from './http.mjs';
export { matchSubset, assertSubset, subsetMismatches, at } from './match.mjs';
export { startDnsFixture, dnsFixturePath } from './dns.mjs';

/** The repository root: the parent of api-tests/. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The binary under test (BOUNCEDOC_BIN overrides, for a build elsewhere). */
export const binaryPath = process.env.BOUNCEDOC_BIN
  ? path.resolve(process.env.BOUNCEDOC_BIN)
  : path.join(repoRoot, 'build', 'bouncedoc');
export const openapiPath = path.join(repoRoot, 'openapi.yaml');

const START_DEADLINE_MS = 10_000;
const STOP_DEADLINE_MS = 5_000;
const POLL_MS = 25;
const KEEP_LOG_CHARS = 1 << 20;

const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start build/bouncedoc on a free port and wait until GET /healthz answers 200. Its DNS is
 * the fixture DNS server: one started here (stopped with the server, and kept as
 * server.fixture) with the default zone, or opts.zoneFile / opts.zone, or opts.dnsFixture's
 * options, unless opts.dns names another (an "ADDR:PORT" string); no test ever reaches a real
 * resolver.
 * @param {object} [opts]
 * @param {string[]} [opts.args]  extra command line arguments
 * @param {object} [opts.env]     extra environment variables
 * @param {string} [opts.dns]     the DNS server to use instead of a fresh fixture
 * @param {object} [opts.dnsFixture]  the options of startDnsFixture for the fresh fixture
 * @param {string} [opts.zoneFile]  or just its zone file instead of the default zone
 * @param {object} [opts.zone]    or its zone (the JSON format of server/tests/dnsfix.h)
 * @returns {Promise<{url: string, port: number, stop: () => Promise<{code: number|null, signal: string|null}>,
 *   stderr: () => string, stdout: () => string, exitStatus: () => ({code: number|null, signal: string|null}|null),
 *   child: import('node:child_process').ChildProcess}>}
 */
export async function startServer(opts = {}) {
  if (!existsSync(binaryPath)) {
    throw new Error(`the server binary ${binaryPath} does not exist: build it with \`make\` in ${repoRoot}`);
  }
  let fixture = null;
  let dns = opts.dns;
  if (dns === undefined) {
    fixture = await startDnsFixture(opts.dnsFixture ?? { zone: opts.zone, zoneFile: opts.zoneFile });
    dns = fixture.address;
  }
  const withDns = { ...opts, args: ['--dns', dns, '--dns-timeout-ms', '300', '--dns-tries', '1', ...(opts.args ?? [])] };
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const server = await launch(port, withDns);
      server.dns = dns;
      server.fixture = fixture;
      if (fixture) {
        const stopServer = server.stop;
        server.stop = async () => {
          try {
            return await stopServer();
          } finally {
            await fixture.stop();
          }
        };
      }
      return server;
    } catch (err) {
      if (err.portInUse && attempt < attempts) continue;
      if (fixture) await fixture.stop();
      throw err;
    }
  }
}

async function launch(port, opts) {
  const args = [
    '--listen', `127.0.0.1:${port}`,
    '--rules', path.join(repoRoot, 'rules'),
    '--static', path.join(repoRoot, 'static'),
    ...(opts.args ?? []),
  ];
  const child = spawn(binaryPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...(opts.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  // Neither the child nor its pipes keep the test process alive on their own: a test that
  // forgets stop() must not hang the run (the child is killed on exit).
  child.unref();
  child.stdout.unref?.();
  child.stderr.unref?.();

  let err = '';
  let out = '';
  const keep = (s, chunk) => {
    const t = s + chunk.toString('utf8');
    return t.length > KEEP_LOG_CHARS ? t.slice(t.length - KEEP_LOG_CHARS) : t;
  };
  child.stderr.on('data', (c) => { err = keep(err, c); });
  child.stdout.on('data', (c) => { out = keep(out, c); });

  let exitStatus = null;
  let spawnError = null;
  const exited = new Promise((resolve) => {
    child.on('error', (e) => { spawnError = e; live.delete(child); exitStatus = { code: null, signal: null }; resolve(exitStatus); });
    child.on('close', (code, signal) => {
      live.delete(child);
      exitStatus = { code, signal };
      resolve(exitStatus);
    });
  });

  // Waiting for the exit must keep this process alive (the child and its pipes are unref'd).
  const waitExit = () => {
    child.ref();
    child.stdout.ref?.();
    child.stderr.ref?.();
    return exited;
  };

  const url = `http://127.0.0.1:${port}`;
  const cmdline = `${binaryPath} ${args.join(' ')}`;
  const deadline = Date.now() + START_DEADLINE_MS;
  let lastProblem = 'no answer yet';
  for (;;) {
    if (exitStatus) {
      const e = new Error(`${cmdline}\nexited before it answered /healthz (${spawnError ? spawnError.message : describeExit(exitStatus)})\nstderr:\n${err}\nstdout:\n${out}`);
      e.portInUse = /address already in use|EADDRINUSE|in use/i.test(err + out);
      throw e;
    }
    try {
      const res = await get(url, '/healthz', {}, { timeout: 1000 });
      if (res.status === 200) break;
      lastProblem = `GET /healthz answered ${res.status}: ${res.text.slice(0, 300)}`;
    } catch (e) {
      lastProblem = e.message;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await waitExit();
      throw new Error(`${cmdline}\ndid not answer GET /healthz with 200 within ${START_DEADLINE_MS} ms (last: ${lastProblem})\nstderr:\n${err}\nstdout:\n${out}`);
    }
    await delay(POLL_MS);
  }

  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      if (exitStatus) {
        throw new Error(`the server had already exited (${describeExit(exitStatus)}) before stop()\nstderr:\n${tail(err)}`);
      }
      child.kill('SIGTERM');
      let timer;
      const timedOut = await Promise.race([
        waitExit().then(() => false),
        new Promise((r) => { timer = setTimeout(() => r(true), STOP_DEADLINE_MS); }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        child.kill('SIGKILL');
        await waitExit();
        throw new Error(`the server did not exit within ${STOP_DEADLINE_MS} ms of SIGTERM (killed)\nstderr:\n${tail(err)}`);
      }
      if (exitStatus.code !== 0) {
        throw new Error(`the server's shutdown on SIGTERM was not clean: ${describeExit(exitStatus)}\nstderr:\n${tail(err)}`);
      }
      return exitStatus;
    })();
    return stopping;
  };

  return {
    url,
    port,
    stop,
    stderr: () => err,
    stdout: () => out,
    exitStatus: () => exitStatus,
    child,
  };
}

function describeExit({ code, signal }) {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

function tail(s, n = 4000) {
  return s.length > n ? `...${s.slice(s.length - n)}` : s;
}

/**
 * Check that the server is still up and answering (after hostile input, say).
 * @param {{url: string, exitStatus: () => any, stderr: () => string}} server
 */
export async function assertAlive(server) {
  const st = server.exitStatus();
  assert.equal(st, null, `the server died: ${st && describeExit(st)}\nstderr:\n${tail(server.stderr())}`);
  let res;
  try {
    res = await get(server.url, '/healthz', {}, { timeout: 5000 });
  } catch (e) {
    assert.fail(`the server no longer answers GET /healthz: ${e.message}\nstderr:\n${tail(server.stderr())}`);
  }
  assert.equal(res.status, 200, `GET /healthz after that: ${res.describe()}`);
}

// ---------------------------------------------------------------------------------------
// OpenAPI validation

let cachedValidator = null;
const DOC_ID = 'https://bouncedoc.invalid/openapi.yaml';

const escapePointer = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Load openapi.yaml and compile its schemas with Ajv (JSON Schema 2020-12, as OpenAPI 3.1).
 * @returns {{doc: object,
 *   validateResponse: (operationPath: string, method: string, status: number, contentType: string, body: any) => void,
 *   validateSchema: (name: string, value: any) => void}}
 */
export function validator() {
  if (cachedValidator) return cachedValidator;
  const doc = YAML.parse(readFileSync(openapiPath, 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, DOC_ID);
  const compiled = new Map();
  const compileAt = (pointer) => {
    let v = compiled.get(pointer);
    if (!v) {
      v = ajv.compile({ $ref: `${DOC_ID}${pointer}` });
      compiled.set(pointer, v);
    }
    return v;
  };
  const resolvePointer = (pointer) => {
    let v = doc;
    for (const raw of pointer.replace(/^#\/?/, '').split('/').filter((p) => p !== '')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (v === null || typeof v !== 'object' || !(key in v)) return undefined;
      v = v[key];
    }
    return v;
  };

  const check = (validate, value, what) => {
    if (!validate(value)) {
      const errors = validate.errors.map((e) => `  ${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)} [schema ${e.schemaPath}]`);
      let shown;
      try { shown = JSON.stringify(value); } catch { shown = String(value); }
      if (shown && shown.length > 3000) shown = `${shown.slice(0, 3000)}...`;
      assert.fail(`${what} does not match openapi.yaml:\n${errors.join('\n')}\nbody: ${shown}`);
    }
  };

  const findResponse = (opPath, method, status) => {
    const m = method.toLowerCase();
    const pathItem = doc.paths?.[opPath];
    const codes = (op) => [String(status), `${String(status)[0]}XX`, 'default'].find((c) => op?.responses?.[c]);
    if (pathItem && pathItem[m]) {
      const code = codes(pathItem[m]);
      if (!code) {
        assert.fail(`${method.toUpperCase()} ${opPath}: status ${status} is not documented in openapi.yaml (documented: ${Object.keys(pathItem[m].responses ?? {}).join(', ')})`);
      }
      return `#/paths/${escapePointer(opPath)}/${m}/responses/${escapePointer(code)}`;
    }
    if (pathItem && status === 405) {
      // The method is not an operation of this path: a 405 answer is described by the
      // path's other operations.
      for (const other of Object.keys(pathItem)) {
        if (pathItem[other]?.responses?.['405']) return `#/paths/${escapePointer(opPath)}/${other}/responses/405`;
      }
    }
    if ((status === 404 || status === 405) && doc.components?.responses?.Problem) {
      // Not an operation of openapi.yaml (an unknown path, or a method that no path
      // documents a 405 for): the answer is still a problem.
      return '#/components/responses/Problem';
    }
    assert.fail(`${method.toUpperCase()} ${opPath} -> ${status}: no such operation in openapi.yaml`);
  };

  const validateResponse = (operationPath, method, status, contentType, body) => {
    const opPath = operationPath.split('?')[0];
    let pointer = findResponse(opPath, method, status);
    let response = resolvePointer(pointer);
    for (let hops = 0; response && response.$ref; hops++) {
      assert.ok(hops < 10, `too many $ref hops from ${pointer}`);
      assert.ok(response.$ref.startsWith('#/'), `only local $refs are supported: ${response.$ref}`);
      pointer = response.$ref;
      response = resolvePointer(pointer);
    }
    assert.ok(response, `openapi.yaml: ${pointer} does not resolve`);
    const what = `${method.toUpperCase()} ${opPath} -> ${status} ${contentType ?? ''}`;
    if (!response.content) {
      const len = body === undefined || body === null ? 0 : (Buffer.isBuffer(body) || typeof body === 'string' ? body.length : 1);
      assert.equal(len, 0, `${what}: openapi.yaml documents no body for this response`);
      return;
    }
    const mediaType = String(contentType ?? '').split(';')[0].trim().toLowerCase();
    const documented = Object.keys(response.content);
    assert.ok(documented.includes(mediaType),
      `${what}: content type ${JSON.stringify(mediaType)} is not the documented ${documented.map((d) => JSON.stringify(d)).join(' or ')}`);
    const media = response.content[mediaType];
    if (!media.schema) return;
    let value = body;
    if (Buffer.isBuffer(value)) value = value.toString('utf8');
    if (/(^application\/json$|\+json$)/.test(mediaType)) {
      if (typeof value === 'string') {
        try { value = JSON.parse(value); } catch (e) { assert.fail(`${what}: body is not JSON: ${e.message}: ${value.slice(0, 500)}`); }
      }
    } else if (typeof value !== 'string') {
      value = String(value);
    }
    const validate = compileAt(`${pointer}/content/${escapePointer(mediaType)}/schema`);
    check(validate, value, what);
  };

  const validateSchema = (name, value) => {
    assert.ok(doc.components?.schemas?.[name], `openapi.yaml has no schema ${name}`);
    check(compileAt(`#/components/schemas/${escapePointer(name)}`), value, `value of ${name}`);
  };

  cachedValidator = { doc, validateResponse, validateSchema };
  return cachedValidator;
}

/**
 * Validate a response from lib/http.mjs against openapi.yaml and, for a problem answer, the
 * invariants every problem shares (type = urn:bouncedoc:problem:<code>, status = HTTP status).
 */
export function checkResponse(res, operationPath = res.path) {
  validator().validateResponse(operationPath, res.method, res.status, res.contentType, res.body);
  if (res.mediaType === 'application/problem+json') assertProblemInvariants(res);
}

export function assertProblemInvariants(res) {
  const p = res.json;
  assert.equal(p.type, `urn:bouncedoc:problem:${p.code}`, `problem type must be urn:bouncedoc:problem:<code>: ${res.describe()}`);
  assert.equal(p.status, res.status, `problem status must equal the HTTP status: ${res.describe()}`);
}

/**
 * Assert a problem+json answer with the given HTTP status and problem code, valid per
 * openapi.yaml.
 */
export function assertProblem(res, status, code, operationPath = res.path) {
  assert.equal(res.status, status, `expected ${status} ${code}: ${res.describe()}`);
  assert.equal(res.mediaType, 'application/problem+json', `expected application/problem+json: ${res.describe()}`);
  assert.equal(res.json.code, code, `expected problem code ${code}: ${res.describe()}`);
  checkResponse(res, operationPath);
}
