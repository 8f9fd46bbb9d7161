// Connection handling: keep-alive, concurrency, clients that go away or stall, the connection
// limit, and a clean shutdown on SIGTERM even with a connection open.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import {
  assertAlive, checkResponse, connect, diagnose, get, post, rawExchange, startServer,
} from '../lib/server.mjs';

const D = '/api/v1/diagnose?checks=none';
let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

const waitEvent = (emitter, name) => new Promise((resolve) => emitter.once(name, resolve));

test('keep-alive: 100 sequential requests on one connection all succeed', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let sockets = 0;
  const origCreate = agent.createConnection.bind(agent);
  agent.createConnection = (...args) => { sockets++; return origCreate(...args); };
  try {
    for (let i = 0; i < 100; i++) {
      const res = i % 2
        ? await diagnose(server.url, `550 5.1.1 <user${i}@example.com>: No Such User Here`, { extra: { agent } })
        : await get(server.url, '/healthz', {}, { agent });
      assert.equal(res.status, 200, `request ${i}: ${res.describe()}`);
      if (i % 2) assert.ok(res.json.entities.emails.includes(`user${i}@example.com`), `request ${i}: ${res.describe()}`);
      assert.notEqual((res.headers.connection ?? '').toLowerCase(), 'close', `request ${i}: the server closes keep-alive connections`);
      if (i > 0) assert.ok(res.reusedSocket, `request ${i} did not reuse the connection`);
    }
    assert.equal(sockets, 1, `${sockets} connections were opened for 100 requests`);
  } finally {
    agent.destroy();
  }
});

test('keep-alive: an error answer (400, 404) keeps the connection usable', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const bad = await post(server.url, D, '{"text":', { 'Content-Type': 'application/json' }, { agent });
    assert.equal(bad.status, 400, bad.describe());
    const missing = await get(server.url, '/nope', {}, { agent });
    assert.equal(missing.status, 404, missing.describe());
    const good = await diagnose(server.url, '550 No Such User Here', { extra: { agent } });
    assert.equal(good.status, 200, good.describe());
  } finally {
    agent.destroy();
  }
});

test('pipelined requests on one connection are answered in order', async () => {
  const one = (i) => {
    const body = JSON.stringify({ text: `550 5.1.1 <p${i}@example.com>: No Such User Here` });
    return `POST ${D} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  const sock = await connect(server.port);
  const chunks = [];
  sock.on('data', (c) => chunks.push(c));
  sock.write(one(1) + one(2) + one(3).replace('HTTP/1.1\r\n', 'HTTP/1.1\r\nConnection: close\r\n'));
  const closed = waitEvent(sock, 'close');
  const timer = setTimeout(() => sock.destroy(), 5000);
  await closed;
  clearTimeout(timer);
  const all = Buffer.concat(chunks).toString('utf8');
  const statuses = [...all.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
  assert.deepEqual(statuses, ['200', '200', '200'], `answers: ${all.slice(0, 2000)}`);
  const order = [...all.matchAll(/"(p\d)@example\.com"/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(order)], ['p1', 'p2', 'p3'], 'answers are out of order');
});

test('concurrency: 50 parallel requests all succeed, each with its own answer', async () => {
  const jobs = Array.from({ length: 50 }, async (_, i) => {
    const res = await diagnose(server.url, `550 5.1.1 <c${i}@example.com>: Recipient address rejected: User unknown`);
    assert.equal(res.status, 200, `request ${i}: ${res.describe()}`);
    checkResponse(res);
    assert.equal(res.json.results[0].reason, 'userunknown');
    assert.ok(res.json.entities.emails.includes(`c${i}@example.com`), `request ${i} got another request's answer: ${JSON.stringify(res.json.entities)}`);
  });
  await Promise.all(jobs);
  await assertAlive(server);
});

test('a client that disconnects mid-body does not hurt the server', async () => {
  for (let i = 0; i < 20; i++) {
    const sock = await connect(server.port);
    const closed = waitEvent(sock, 'close');
    sock.write(`POST ${D} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n550 5.1.1 user unknown ${'x'.repeat(i * 1000)}`);
    sock.destroy();
    await closed;
  }
  // And one that goes away in the middle of the headers.
  const sock = await connect(server.port);
  const closed = waitEvent(sock, 'close');
  sock.write(`POST ${D} HTTP/1.1\r\nHost: x\r\nContent-Ty`);
  sock.destroy();
  await closed;
  await assertAlive(server);
  const res = await diagnose(server.url, '550 No Such User Here');
  assert.equal(res.status, 200, res.describe());
});

test('a client that goes away before reading its answer does not hurt the server (no SIGPIPE)', async () => {
  // About 27 KB of request for a long answer (many entities and matched rules).
  const text = Array.from({ length: 400 }, (_, i) => `550 5.1.1 <u${i}@d${i}.example> user unknown from 10.0.${i % 256}.${i >> 8}`).join('\n');
  const body = JSON.stringify({ text });
  const req = `POST ${D} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  for (let i = 0; i < 20; i++) {
    const sock = await connect(server.port);
    const closed = waitEvent(sock, 'close');
    if (i % 2 === 0) {
      // Close (FIN) as soon as the request is out: the server answers into a closed socket.
      sock.write(req, () => sock.destroy());
      await closed;
    } else {
      // Reset (RST) as soon as the first bytes of the answer arrive, with more to come.
      let answered = false;
      sock.once('data', () => { answered = true; sock.resetAndDestroy(); });
      sock.write(req);
      const timer = setTimeout(() => sock.destroy(), 10000);
      await closed;
      clearTimeout(timer);
      assert.ok(answered, `attempt ${i}: no answer began within 10 s`);
    }
  }
  // The same for a static file and the OpenAPI document.
  for (const p of ['/openapi.yaml', '/app.js', '/']) {
    const sock = await connect(server.port);
    const closed = waitEvent(sock, 'close');
    sock.write(`GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`, () => sock.destroy());
    await closed;
  }
  await assertAlive(server);
});

test('a stalled client does not block other clients', async () => {
  const stalled = await connect(server.port);
  stalled.write(`POST ${D} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n550 5.1.1`);
  const idle = await connect(server.port); // connected, says nothing at all
  try {
    const started = Date.now();
    const res = await diagnose(server.url, '550 No Such User Here', { extra: { timeout: 5000 } });
    assert.equal(res.status, 200, res.describe());
    const h = await get(server.url, '/healthz', {}, { timeout: 5000 });
    assert.equal(h.status, 200);
    assert.ok(Date.now() - started < 5000);
  } finally {
    stalled.destroy();
    idle.destroy();
  }
});

test('Expect: 100-continue gets an answer', async () => {
  const body = JSON.stringify({ text: '550 No Such User Here' });
  const sock = await connect(server.port);
  const chunks = [];
  let sentBody = false;
  const got = new Promise((resolve) => {
    sock.on('data', (c) => {
      chunks.push(c);
      const s = Buffer.concat(chunks).toString('utf8');
      if (!sentBody && /^HTTP\/1\.1 100 /.test(s)) { sentBody = true; sock.write(body); }
      if (/^HTTP\/1\.1 [2-5]\d\d /m.test(s) && /\r\n\r\n[\s\S]*\}\s*$/.test(s)) resolve(s);
    });
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  sock.write(`POST ${D} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
  // A server that ignores Expect waits for the body: send it after a bounded wait for 100.
  const timer = setTimeout(() => { if (!sentBody) { sentBody = true; sock.write(body); } }, 2000);
  const timeout = setTimeout(() => sock.destroy(), 8000);
  const s = await got;
  clearTimeout(timer);
  clearTimeout(timeout);
  sock.destroy();
  assert.match(s, /HTTP\/1\.1 200 /, `answer: ${s.slice(0, 1000)}`);
});

test('HTTP/1.0 request without keep-alive is answered and closed', async () => {
  const r = await rawExchange(server.port, Buffer.from('GET /healthz HTTP/1.0\r\n\r\n'), { timeout: 5000 });
  assert.equal(r.status, 200, r.data.toString('utf8').slice(0, 500));
});

// --max-connections: at a full house a new client is neither refused nor closed. The kernel
// completes its TCP handshake and keeps it in the listen backlog, unread, until a connection
// ends (the client closes it, or --connection-timeout closes it when idle); then it is served.
// These tests start their own servers with small limits.

/** A keep-alive client that has had one answer and now sits idle, holding a slot. */
async function holdSlot(port) {
  const sock = await connect(port);
  const closed = waitEvent(sock, 'close');
  const chunks = [];
  const answered = new Promise((resolve) => {
    sock.on('data', (c) => {
      chunks.push(c);
      if (/^HTTP\/1\.1 200 [\s\S]*\r\n\r\n[\s\S]*\}/.test(Buffer.concat(chunks).toString('latin1'))) resolve();
    });
  });
  sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await within(answered, 3000, 'a keep-alive client got no answer from a server with free slots');
  return { sock, closed };
}

/** GET /healthz on a fresh connection now; resolves with its status and the ms it took. */
function timedHealthz(port, timeout) {
  const started = Date.now();
  return rawExchange(port, Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), { timeout })
    .then((r) => ({ ...r, ms: Date.now() - started }));
}

/** Resolve with p's value, or reject with msg once ms pass. */
async function within(p, ms, msg) {
  let timer;
  try {
    return await Promise.race([p, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${msg} (within ${ms} ms)`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('--max-connections: slots freed by --connection-timeout are used again, also by a client already waiting', async () => {
  const srv = await startServer({ args: ['--max-connections', '4', '--connection-timeout', '1'] });
  const socks = [];
  try {
    for (let round = 0; round < 2; round++) {
      // Four clients connect at once and say nothing: the house is full.
      const held = await Promise.all(Array.from({ length: 4 }, () => connect(srv.port)));
      socks.push(...held);
      const closed = held.map((sock) => waitEvent(sock, 'close'));
      await sleep(200);
      // A fifth waits in the backlog until the idle four are closed, then is answered.
      const waiting = timedHealthz(srv.port, 5000);
      await within(Promise.all(closed), 4000, `round ${round}: the server did not close its idle connections`);
      const w = await waiting;
      assert.equal(w.status, 200, `round ${round}: the client waiting at the limit got no answer after the idle connections closed (${w.ms} ms${w.timedOut ? ', timed out' : ''})`);
      // And the server keeps accepting afterwards, with nothing left to wake it.
      await sleep(500);
      const after = await timedHealthz(srv.port, 3000);
      assert.equal(after.status, 200, `round ${round}: no answer once the slots were free again (${after.ms} ms${after.timedOut ? ', timed out' : ''})`);
    }
  } finally {
    for (const sock of socks) sock.destroy();
    await srv.stop();
  }
});

test('--max-connections: a client that closes its own connection frees its slot at once', async () => {
  // The idle timeout is long, so only the clients' own closing can free a slot in time.
  const srv = await startServer({ args: ['--max-connections', '4', '--connection-timeout', '30'] });
  const held = [];
  try {
    for (let i = 0; i < 4; i++) held.push(await holdSlot(srv.port));
    // At a full house a new client is not refused: its connection waits, unanswered.
    const waiting = timedHealthz(srv.port, 5000);
    const early = await Promise.race([waiting, sleep(700).then(() => null)]);
    assert.equal(early, null, `a client at a full house was answered or dropped at once: ${early && (early.status ?? early.error)}`);
    // One client leaves: the waiting one takes its slot.
    held[0].sock.end();
    await within(held[0].closed, 2000, 'the closed client\'s connection did not end');
    const w = await waiting;
    assert.equal(w.status, 200, `no answer after a slot was freed (${w.ms} ms${w.timedOut ? ', timed out' : ''})`);
    assert.ok(w.ms < 3000, `the waiting client was answered only after ${w.ms} ms`);
    // The rest leave together: the server takes new clients without waiting for anything.
    for (const h of held.slice(1)) h.sock.destroy();
    await Promise.all(held.slice(1).map((h) => h.closed));
    await sleep(300);
    for (let i = 0; i < 6; i++) {
      const r = await timedHealthz(srv.port, 3000);
      assert.equal(r.status, 200, `request ${i} after every client left: ${r.timedOut ? 'timed out' : r.error ?? r.status} (${r.ms} ms)`);
    }
  } finally {
    for (const h of held) h.sock.destroy();
    await srv.stop();
  }
});

test('--max-connections 1: one idle connection closed by the timeout does not stop the server for good', async () => {
  const srv = await startServer({ args: ['--max-connections', '1', '--connection-timeout', '1'] });
  let h;
  try {
    h = await holdSlot(srv.port);
    await within(h.closed, 4000, 'the server did not close the idle connection');
    const r = await timedHealthz(srv.port, 3000);
    assert.equal(r.status, 200, `no answer after the only connection timed out: ${r.timedOut ? 'timed out' : r.error ?? r.status} (${r.ms} ms)`);
  } finally {
    h?.sock.destroy();
    await srv.stop();
  }
});

test('SIGTERM with an idle keep-alive connection open: clean exit 0 within 5 s', async () => {
  await assertAlive(server);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const res = await get(server.url, '/healthz', {}, { agent });
  assert.equal(res.status, 200);
  const idle = await connect(server.port);
  try {
    const st = await server.stop();
    assert.equal(st.code, 0);
  } finally {
    idle.destroy();
    agent.destroy();
  }
});
