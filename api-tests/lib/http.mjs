// Small HTTP client helpers built on node:http, so that every header sent is under
// the test's control (fetch adds Accept-Language, Sec-Fetch-* and friends) and so that
// responses sent before the request body was fully read (413) are still seen.
import http from 'node:http';
import net from 'node:net';

/**
 * Send one request and read the whole response.
 * @param {string} baseUrl  e.g. http://127.0.0.1:8080
 * @param {object} o
 * @param {string} [o.method=GET]
 * @param {string} [o.path=/]    path with query
 * @param {object} [o.headers]   header values of null are left out
 * @param {Buffer|string|Uint8Array} [o.body]
 * @param {http.Agent|false} [o.agent=false]  false: a fresh connection for this request
 * @param {number} [o.timeout=10000] ms
 * @returns {Promise<Response>}
 */
export function request(baseUrl, o = {}) {
  const method = (o.method ?? 'GET').toUpperCase();
  const path = o.path ?? '/';
  // The path goes out exactly as given (no dot-segment removal, no re-encoding).
  const url = new URL(baseUrl);
  const headers = {};
  for (const [k, v] of Object.entries(o.headers ?? {})) {
    if (v !== null && v !== undefined) headers[k] = v;
  }
  let body = o.body;
  if (typeof body === 'string') body = Buffer.from(body, 'utf8');
  else if (body instanceof Uint8Array && !Buffer.isBuffer(body)) body = Buffer.from(body);
  if (body !== undefined && !hasHeader(headers, 'content-length') && !hasHeader(headers, 'transfer-encoding')) {
    headers['Content-Length'] = String(body.length);
  }
  const timeout = o.timeout ?? 10000;
  return new Promise((resolve, reject) => {
    let settled = false;
    let gotResponse = false;
    const done = (err, value) => {
      if (settled) return;
      settled = true;
      if (err) reject(err); else resolve(value);
    };
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method,
      path,
      headers,
      agent: o.agent ?? false,
    });
    req.setTimeout(timeout, () => {
      const err = new Error(`${method} ${path}: no complete response within ${timeout} ms`);
      req.destroy(err);
      done(err);
    });
    req.on('error', (err) => {
      // Writing the rest of a large body can fail (EPIPE / ECONNRESET) once the server has
      // answered early and closed: the response, if it came, is what counts.
      if (gotResponse) return;
      done(new Error(`${method} ${path}: ${err.message}`, { cause: err }));
    });
    req.on('response', (res) => {
      gotResponse = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (err) => done(new Error(`${method} ${path}: response ${res.statusCode} broken off: ${err.message}`, { cause: err })));
      res.on('aborted', () => done(new Error(`${method} ${path}: response ${res.statusCode} aborted before its end`)));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        done(null, makeResponse(method, path, res, buf, req.reusedSocket));
      });
    });
    if (body !== undefined) req.end(body); else req.end();
  });
}

function hasHeader(headers, name) {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function makeResponse(method, path, res, buf, reusedSocket) {
  const contentType = res.headers['content-type'] ?? '';
  let parsed;
  let parseError;
  return {
    method,
    path,
    status: res.statusCode,
    headers: res.headers,
    contentType,
    /** the media type alone, lower case, without parameters */
    mediaType: contentType.split(';')[0].trim().toLowerCase(),
    body: buf,
    reusedSocket,
    get text() { return buf.toString('utf8'); },
    /** the body parsed as JSON; throws a readable error when it is not JSON */
    get json() {
      if (parsed === undefined && parseError === undefined) {
        try { parsed = JSON.parse(buf.toString('utf8')); } catch (e) { parseError = e; }
      }
      if (parseError) {
        throw new Error(`${method} ${path}: body is not JSON (${parseError.message}): ${preview(buf)}`);
      }
      return parsed;
    },
    /** a short description for assertion messages */
    describe() {
      return `${method} ${path} -> ${res.statusCode} ${contentType}\n${preview(buf)}`;
    },
  };
}

export function preview(buf, max = 1500) {
  const s = Buffer.isBuffer(buf) ? buf.toString('utf8') : String(buf);
  return s.length > max ? `${s.slice(0, max)}... (${s.length} chars)` : s;
}

/** GET a path. */
export function get(baseUrl, path, headers = {}, extra = {}) {
  return request(baseUrl, { method: 'GET', path, headers, ...extra });
}

/**
 * POST a body: a plain object or array is sent as application/json, a string as
 * text/plain; charset=utf-8, a Buffer as is (give its Content-Type in headers).
 */
export function post(baseUrl, path, body, headers = {}, extra = {}) {
  const h = { ...headers };
  const hasType = hasHeader(h, 'content-type');
  let payload = body;
  if (body !== undefined && body !== null && !Buffer.isBuffer(body) && !(body instanceof Uint8Array) && typeof body === 'object') {
    payload = JSON.stringify(body);
    if (!hasType) h['Content-Type'] = 'application/json';
  } else if (typeof body === 'string') {
    if (!hasType) h['Content-Type'] = 'text/plain; charset=utf-8';
  }
  return request(baseUrl, { method: 'POST', path, headers: h, body: payload ?? undefined, ...extra });
}

/**
 * POST /api/v1/diagnose with {"text": text}. opts.query is appended (default
 * "checks=none"), opts.headers are sent, opts.lang goes into the JSON body.
 */
export function diagnose(baseUrl, text, opts = {}) {
  const query = opts.query ?? 'checks=none';
  const body = { text };
  if (opts.lang !== undefined) body.lang = opts.lang;
  return post(baseUrl, `/api/v1/diagnose${query ? `?${query}` : ''}`, body, opts.headers ?? {}, opts.extra ?? {});
}

/**
 * Write raw bytes on a fresh TCP connection and collect whatever comes back until the server
 * closes the connection, a complete response with a Content-Length has arrived, or `timeout`
 * ms pass. Never rejects: connection errors are reported in `error`.
 * @returns {Promise<{data: Buffer, status: number|null, closed: boolean, timedOut: boolean, error: Error|null}>}
 */
export function rawExchange(port, bytes, { timeout = 5000, host = '127.0.0.1' } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let finished = false;
    let timedOut = false;
    let error = null;
    let closed = false;
    const sock = net.connect({ host, port });
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      const data = Buffer.concat(chunks);
      const m = data.toString('latin1').match(/^HTTP\/1\.[01] (\d{3})/);
      resolve({ data, status: m ? Number(m[1]) : null, closed, timedOut, error });
    };
    const timer = setTimeout(() => { timedOut = true; finish(); }, timeout);
    sock.on('connect', () => {
      sock.write(bytes, (err) => { if (err) error = err; });
    });
    sock.on('data', (c) => {
      chunks.push(c);
      if (completeResponse(Buffer.concat(chunks))) finish();
    });
    sock.on('error', (err) => { error = err; finish(); });
    sock.on('close', () => { closed = true; finish(); });
  });
}

function completeResponse(buf) {
  const s = buf.toString('latin1');
  const end = s.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const m = s.slice(0, end).match(/\r\ncontent-length:\s*(\d+)/i);
  if (!m) return false;
  return buf.length >= end + 4 + Number(m[1]);
}

/** Open a TCP connection (resolves once connected). */
export function connect(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    sock.once('connect', () => { sock.off('error', reject); sock.on('error', () => {}); resolve(sock); });
    sock.once('error', reject);
  });
}
