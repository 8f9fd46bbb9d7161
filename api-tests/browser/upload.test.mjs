// Browser test of opening / dropping a saved bounce (.eml) on the web page, and of showing
// a diagnosis with several results, driven through the real server.
//
//   node --test api-tests/browser/upload.test.mjs
//
// Needs build/bouncedoc (started by ../lib/server.mjs), Debian's Chromium at /usr/bin/chromium
// (override with CHROMIUM) and the playwright-core package. Fixtures are in
// ../fixtures/eml/. Screenshots go to /tmp (override with SCREENSHOT_DIR), never into the
// repository:
//   bouncedoc-upload-desktop.png, bouncedoc-upload-360.png, bouncedoc-upload-dragover.png,
//   bouncedoc-upload-too-large.png
//
// No fixed sleeps: everything waits on Playwright's auto-waiting, waitForSelector,
// waitForFunction, waitForRequest or waitForResponse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserSuite, contrast } from '../lib/browser.mjs';

const SHOTS = process.env.SCREENSHOT_DIR || '/tmp';
const TIMEOUT = 60_000;
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'eml');
const MiB = 1024 * 1024;

const fixture = (name) => path.join(FIXTURES, name);
const DSN = fixture('postfix-two-recipients.eml');
const QP = fixture('qp-latin1.eml');
const MAIL = fixture('not-a-bounce.eml');
const CYRILLIC = /[А-Яа-яЁё]/;
const API = (url) => url.pathname.endsWith('/api/v1/diagnose');
const isApi = (r) => API(new URL(r.url()));

const suite = browserSuite();
const { withPage } = suite;

const text = async (page, selector) => ((await page.locator(selector).first().textContent()) ?? '').trim();

// Runs act (which makes the page send one request to the API), waits until the answer is
// rendered and returns the request with its body.
async function submit(page, act) {
  const request = page.waitForRequest(isApi);
  const response = page.waitForResponse(isApi);
  await act();
  const req = await request;
  await response;
  // aria-busy turned "true" when the request was sent and turns "false" once it is rendered.
  await page.waitForSelector('#results[aria-busy="false"]');
  return { req, body: req.postDataBuffer() };
}

// What the page shows, in one object: assertions on it print the server's exact answer.
async function shown(page) {
  return page.evaluate(() => {
    const val = (root, field, attr = 'data-value') => {
      const n = root.querySelector(`[data-field="${field}"]`);
      return n ? n.getAttribute(attr) : null;
    };
    const fmt = document.getElementById('input-format');
    const overview = document.getElementById('overview');
    return {
      error: document.getElementById('error').textContent.trim(),
      anomalies: [...document.querySelectorAll('#anomalies [data-anomaly]')].map((n) => n.getAttribute('data-anomaly')),
      format: fmt ? fmt.getAttribute('data-value') : null,
      formatLabel: fmt ? fmt.textContent.trim() : null,
      overview: overview ? overview.textContent.trim() : null,
      results: [...document.querySelectorAll('#results .result')].map((card) => ({
        recipient: val(card, 'recipient'),
        reason: card.getAttribute('data-reason'),
        stage: val(card, 'smtp-stage'),
        action: val(card, 'action'),
        remoteMta: val(card, 'remote-mta'),
      })),
    };
  });
}

// Drags a file (built in the page from bytes) over the textarea: dragenter + dragover.
async function dragOver(page, bytes, name, selector = '#bounce') {
  return page.evaluate(({ b64, name, selector }) => {
    const raw = atob(b64);
    const data = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([data], name, { type: 'message/rfc822' }));
    window.__dt = dt;
    const target = document.querySelector(selector);
    const fire = (type) => target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    // dispatchEvent returns false when the page called preventDefault (it accepts the drop).
    return { enterAccepted: !fire('dragenter'), overAccepted: !fire('dragover') };
  }, { b64: Buffer.from(bytes).toString('base64'), name, selector });
}

async function drop(page, selector = '#bounce') {
  return page.evaluate((selector) => {
    const target = document.querySelector(selector);
    const ev = new DragEvent('drop', { dataTransfer: window.__dt, bubbles: true, cancelable: true });
    return !target.dispatchEvent(ev); // true: the page took the drop
  }, selector);
}

async function openAllDetails(page) {
  await page.locator('.result details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
}

// A well-formed Diagnosis for answers made up by the test (route.fulfill).
function fakeResult(over = {}) {
  return {
    recipient: null, reason: 'userunknown', title: 'The address does not exist', permanent: true,
    permanent_source: 'status', hard_bounce: true, reply_code: '550', reply_code_info: null,
    status: '5.1.1', status_info: null, fix_by: 'sender', fix_by_label: 'You (the sender)', rule: null,
    matched_rules: [], decision: 'd', summary: 's', explanation: 'e', fix: ['f'], diagnostic: 'x',
    smtp_stage: null, action: null, remote_mta: null,
    ...over,
  };
}

function fakeDiagnosis(input, results, lang = 'en') {
  return {
    lang,
    input: { bytes: 10, lines: 1, ...input },
    results,
    entities: { ips: [], domains: [], emails: [], hosts: [], blocklists: [], urls: [], sending_ip: null,
      sender_domain: null, remote_host: null, remote_ip: null },
    checks: {},
    anomalies: [],
  };
}

test('the file picker is on the page, labelled and reachable with the keyboard', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    const button = page.getByRole('button', { name: 'Open an .eml file' });
    assert.ok(await button.isVisible(), 'the "Open an .eml file" button is visible');
    assert.equal(await button.getAttribute('id'), 'open-file');
    assert.equal(await page.getAttribute('#eml-file', 'type'), 'file');
    assert.match(await page.getAttribute('#eml-file', 'accept'), /\.eml/);
    assert.ok(await page.locator('#file-status').isHidden(), 'no file name before a file is chosen');

    // Tab order: textarea -> Diagnose -> Open an .eml file; Enter opens the picker.
    // (Listening first: Playwright turns on file chooser interception without waiting.)
    const chooser = page.waitForEvent('filechooser');
    await page.focus('#bounce');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'diagnose');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'open-file');
    await page.keyboard.press('Enter');
    const fc = await chooser;
    const { req } = await submit(page, () => fc.setFiles(MAIL));
    assert.equal(req.headers()['content-type'], 'message/rfc822');
    assert.equal(await text(page, '#file-name'), 'not-a-bounce.eml');

    // In Russian.
    await page.selectOption('#lang', 'ru');
    await page.waitForSelector('#results[data-lang="ru"][aria-busy="false"] .result');
    assert.equal(await text(page, '#open-file'), 'Открыть файл .eml');
    assert.match(await text(page, '#file-help'), CYRILLIC);
  });
});

test('a two-recipient Postfix DSN opened as a file: raw bytes, one card per recipient', { timeout: TIMEOUT }, async () => {
  const bytes = readFileSync(DSN);
  await withPage({}, async (page) => {
    const { req, body } = await submit(page, () => page.setInputFiles('#eml-file', DSN));
    assert.equal(req.method(), 'POST');
    assert.equal(new URL(req.url()).searchParams.get('lang'), 'en');
    assert.equal(req.headers()['content-type'], 'message/rfc822');
    assert.ok(body && body.equals(bytes), `the request body is the file's exact ${bytes.length} bytes (got ${body?.length})`);

    assert.equal(await text(page, '#file-name'), 'postfix-two-recipients.eml');
    assert.ok(await page.locator('#file-status').isVisible());

    const s = await shown(page);
    assert.equal(s.error, '', 'no error');
    assert.deepEqual(s.results.map((r) => [r.recipient, r.reason]),
      [['nobody@example.org', 'userunknown'], ['full@example.net', 'mailboxfull']],
      `one card per recipient; the page shows ${JSON.stringify(s)}`);
    assert.equal(s.format, 'dsn', `input.format; the page shows ${JSON.stringify(s)}`);
    assert.deepEqual(s.anomalies, [], 'a well-formed DSN has no anomalies');
    assert.equal(s.formatLabel, 'Delivery status notification (RFC 3464)');
    assert.match(s.overview ?? '', /^2 failed deliveries in this bounce\b/);
    assert.equal(await page.getAttribute('#overview', 'data-count'), '2');

    const first = page.locator('.result').nth(0);
    assert.equal(await text(first, '[data-field="recipient"]'), 'Recipient: nobody@example.org');
    assert.equal(s.results[0].stage, 'rcpt', `smtp_stage of the first; the page shows ${JSON.stringify(s)}`);
    assert.match(await text(first, '[data-field="smtp-stage"]'), /RCPT TO/);
    assert.equal(s.results[0].action, 'failed');
    assert.match(s.results[0].remoteMta ?? '', /mx\.example\.org/);
    assert.match(await text(first, '[data-field="remote-mta"]'), /mx\.example\.org/);
    assert.equal(s.results[1].action, 'failed');
    assert.match(s.results[1].remoteMta ?? '', /mx1\.example\.net/);
    // The cards are told apart by their recipient, for screen readers too.
    assert.equal(await page.getByRole('article', { name: /nobody@example\.org/ }).count(), 1);
    assert.equal(await page.getByRole('article', { name: /full@example\.net/ }).count(), 1);

    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-upload-desktop.png'), fullPage: true });

    // Switching the language asks again with the same file, in Russian.
    const again = await submit(page, () => page.selectOption('#lang', 'ru'));
    assert.equal(new URL(again.req.url()).searchParams.get('lang'), 'ru');
    assert.equal(again.req.headers()['content-type'], 'message/rfc822');
    assert.ok(again.body && again.body.equals(bytes), 'the same bytes are sent again');
    await page.waitForSelector('#results[data-lang="ru"] .result');
    assert.equal(await page.locator('.result').count(), 2);
    assert.match(await text(page, '#overview'), /^В этом отказе 2 неудачные доставки:/);
    assert.match(await text(page, '#input-format'), /^Уведомление о статусе доставки/);
    assert.match(await text(page, '.result [data-field="recipient"]'), /^Получатель: nobody@example\.org$/);

    // Pasting text afterwards works as before: JSON, and the file is no longer named.
    await page.selectOption('#lang', 'en');
    await page.waitForSelector('#results[data-lang="en"][aria-busy="false"]');
    const pasted = await submit(page, async () => {
      await page.fill('#bounce', '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown');
      await page.click('#diagnose');
    });
    assert.match(pasted.req.headers()['content-type'], /^application\/json/);
    assert.ok(await page.locator('#file-status').isHidden(), 'the file name is gone');
    assert.equal(await page.getAttribute('#input-format', 'data-value'), 'text');
    assert.equal(await text(page, '#input-format'), 'Pasted text');
    assert.equal(await page.locator('#overview').count(), 0, 'no overview for one result');
  });
});

test('a quoted-printable ISO-8859-1 Exim bounce dropped on the textarea', { timeout: TIMEOUT }, async () => {
  const bytes = readFileSync(QP);
  await withPage({}, async (page) => {
    // A file dropped outside the card is not opened (and the browser does not navigate to it);
    // dragged text is left to the textarea.
    const requests = [];
    page.on('request', (r) => { if (isApi(r)) requests.push(r.url()); });
    await dragOver(page, bytes, 'qp-latin1.eml', 'h1');
    assert.equal(await page.getAttribute('#form', 'data-dragover'), null, 'no drop zone outside the card');
    assert.equal(await drop(page, 'h1'), true, 'a file dropped outside the card is swallowed');
    const textDrag = await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.setData('text/plain', '550 5.1.1 User unknown');
      const ev = new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true });
      document.getElementById('bounce').dispatchEvent(ev);
      return { prevented: ev.defaultPrevented, zone: document.getElementById('form').getAttribute('data-dragover') };
    });
    assert.deepEqual(textDrag, { prevented: false, zone: null }, 'dragged text is not taken for a file');
    assert.deepEqual(requests, [], 'nothing was sent');

    // Dragging a file over the card shows the drop zone; leaving hides it.
    await dragOver(page, bytes, 'qp-latin1.eml');
    await page.waitForSelector('#form[data-dragover="true"]');
    await page.evaluate(() => document.getElementById('bounce').dispatchEvent(
      new DragEvent('dragleave', { dataTransfer: window.__dt, bubbles: true, cancelable: true })));
    await page.waitForSelector('#form:not([data-dragover])');

    const accepted = await dragOver(page, bytes, 'qp-latin1.eml');
    assert.deepEqual(accepted, { enterAccepted: true, overAccepted: true }, 'the textarea accepts a dragged file');
    await page.waitForSelector('#form[data-dragover="true"]');
    assert.ok(await page.locator('.drop-hint').isVisible(), 'the drop zone is shown');
    assert.equal(await text(page, '.drop-hint'), 'Drop the .eml file to diagnose it');
    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-upload-dragover.png') });

    const { req, body } = await submit(page, async () => {
      assert.equal(await drop(page), true, 'the drop is taken by the page (no navigation to the file)');
    });
    assert.equal(await page.getAttribute('#form', 'data-dragover'), null, 'the drop zone is hidden again');
    assert.ok(await page.locator('.drop-hint').isHidden());
    assert.equal(req.headers()['content-type'], 'message/rfc822');
    assert.ok(body && body.equals(bytes), 'the request body is the file\'s exact bytes');
    assert.equal(await text(page, '#file-name'), 'qp-latin1.eml');
    assert.equal(await page.inputValue('#bounce'), '', 'the file is not put into the textarea');

    const s = await shown(page);
    assert.equal(s.error, '');
    assert.deepEqual(s.results.map((r) => [r.recipient, r.reason]), [['someone@example.org', 'userunknown']],
      `the page shows ${JSON.stringify(s)}`);
    assert.equal(s.results[0].stage, 'rcpt', `smtp_stage; the page shows ${JSON.stringify(s)}`);
    assert.equal(s.overview, null, 'no overview for one result');
    assert.equal(s.format, 'bounce', `input.format; the page shows ${JSON.stringify(s)}`);
    assert.deepEqual(s.anomalies, [], 'well-formed quoted-printable has no anomalies');
    assert.equal(s.formatLabel, 'Bounce message');
  });
});

test('bytes that are not UTF-8 are sent untouched', { timeout: TIMEOUT }, async () => {
  // 8-bit ISO-8859-1 and invalid UTF-8 bytes, CRLF line ends: what is read is what is sent.
  const bytes = Buffer.concat([
    Buffer.from('From: MAILER-DAEMON@example.com\r\nSubject: Undelivered Mail\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n', 'latin1'),
    Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe, 0x00, 0x80, 0x0d, 0x0a]),
    Buffer.from('<someone@example.org>: 550 5.1.1 User unknown\r\n', 'latin1'),
  ]);
  await withPage({}, async (page) => {
    const { req, body } = await submit(page, () => page.setInputFiles('#eml-file',
      { name: 'latin1-8bit.eml', mimeType: 'message/rfc822', buffer: bytes }));
    assert.equal(req.headers()['content-type'], 'message/rfc822');
    assert.ok(body && body.equals(bytes), `exact bytes: sent ${body?.toString('hex')}`);
    assert.equal(await text(page, '#error'), '');
    assert.ok(await page.locator('.result').count() >= 1);
  });
});

test('an ordinary message is labelled as not a bounce', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await submit(page, () => page.setInputFiles('#eml-file', MAIL));
    const s = await shown(page);
    assert.equal(s.error, '');
    assert.equal(s.format, 'mail', `input.format; the page shows ${JSON.stringify(s)}`);
    assert.equal(s.formatLabel, 'Ordinary message — not a bounce');
    assert.ok(await page.locator('[data-field="format-hint"]').isVisible(), 'a hint says what to open instead');
  });
});

// What is no failure shows no Permanent/Temporary badge, and nobody to act unless the report
// names someone (a complaint: the sender suppresses the address).
for (const c of [
  { file: 'dsn-delivered.eml', fixBy: null },
  { file: 'autoreply-out-of-office.eml', fixBy: null },
  { file: 'not-a-bounce.eml', fixBy: null },
  { file: 'arf-abuse.eml', fixBy: 'sender' },
]) {
  test(`${c.file}: no permanence badge${c.fixBy ? '' : ', nobody to act'}`, { timeout: TIMEOUT }, async () => {
    await withPage({}, async (page) => {
      await submit(page, () => page.setInputFiles('#eml-file', fixture(c.file)));
      const card = page.locator('.result').first();
      assert.equal(await card.getAttribute('data-permanent'), null);
      assert.match(await card.getAttribute('class'), /\bis-report\b/);
      assert.equal(await page.locator('.result [data-field="permanent"]').count(), 0);
      assert.equal(await card.getByText('Temporary', { exact: true }).count(), 0);
      assert.equal(await card.getByText('Permanent', { exact: true }).count(), 0);
      if (c.fixBy === null) {
        assert.equal(await page.locator('.result [data-field="fix-by"]').count(), 0);
        assert.equal(await card.getByText('Who must fix it').count(), 0);
      } else {
        assert.equal(await page.getAttribute('.result [data-field="fix-by"]', 'data-value'), c.fixBy);
      }
    });
  });
}

test('a permanent failure nobody can explain is Permanent and not left to a retry', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await submit(page, async () => {
      await page.fill('#bounce', '550 permanent failure for one or more recipients');
      await page.click('#diagnose');
    });
    assert.equal(await text(page, '.result [data-field="permanent"]'), 'Permanent');
    const fixBy = page.locator('.result [data-field="fix-by"]');
    assert.notEqual(await fixBy.getAttribute('data-value'), 'retry');
    assert.doesNotMatch((await fixBy.textContent()) ?? '', /retry/i);
  });
});

test('a file over 1 MiB is refused on the page, without a request', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    const requests = [];
    page.on('request', (r) => { if (isApi(r)) requests.push(r.url()); });
    const big = Buffer.alloc(MiB + 1, 0x41);

    // First a diagnosis on screen, to see it replaced by the refusal.
    await submit(page, () => page.setInputFiles('#eml-file', MAIL));
    assert.equal(requests.length, 1);

    await page.setInputFiles('#eml-file', { name: 'huge.eml', mimeType: 'message/rfc822', buffer: big });
    await page.waitForSelector('#error:has-text("too large")');
    assert.match(await text(page, '#error'), /“huge\.eml” is too large \(1,048,577 bytes\)\. Files of up to 1,048,576 bytes \(1 MiB\)/);
    assert.equal(await page.locator('#results .result').count(), 0, 'the old diagnosis is gone');
    assert.equal(await text(page, '#file-name'), 'huge.eml');
    assert.equal(await page.getAttribute('#diagnose', 'disabled'), null);
    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-upload-too-large.png') });

    // Dropped: refused too.
    await dragOver(page, big, 'dropped-huge.eml');
    assert.equal(await drop(page), true);
    await page.waitForSelector('#error:has-text("dropped-huge.eml")');

    // The message is translated.
    await page.selectOption('#lang', 'ru');
    await page.waitForSelector('#error:has-text("слишком большой")');

    // An empty file is not sent either.
    await page.setInputFiles('#eml-file', { name: 'empty.eml', mimeType: 'message/rfc822', buffer: Buffer.alloc(0) });
    await page.waitForSelector('#error:has-text("empty.eml")');
    assert.deepEqual(requests.length, 1, `no request after the first: ${requests.join(', ')}`);

    // Exactly 1 MiB is sent (answered by the test, not the server).
    await page.route(API, (route) => route.fulfill({
      status: 200, contentType: 'application/json',
      body: JSON.stringify(fakeDiagnosis({ format: 'text' }, [fakeResult()], 'ru')),
    }));
    const { body } = await submit(page, () => page.setInputFiles('#eml-file',
      { name: 'limit.eml', mimeType: 'message/rfc822', buffer: big.subarray(0, MiB) }));
    assert.equal(body.length, MiB);
    assert.equal(await text(page, '#error'), '');
    assert.equal(requests.length, 2);
  });
});

test('the server\'s 413 problem for a file is shown', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await page.route(API, (route) => route.fulfill({
      status: 413, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'urn:bouncedoc:problem:payload-too-large', title: 'Payload too large',
        status: 413, code: 'payload-too-large', detail: 'The body is larger than 1048576 bytes.' }),
    }));
    await page.setInputFiles('#eml-file', MAIL);
    await page.waitForSelector('#error:has-text("larger than 1048576 bytes")');
    assert.equal(await page.locator('#results .result').count(), 0);
  });
});

test('format labels, stages, actions and the overview; hostile values stay text', { timeout: TIMEOUT }, async () => {
  const evil = (s) => `<img src=x onerror="window.__pwned='${s}'"><b>${s}</b>`;
  let answer;
  await withPage({}, async (page) => {
    await page.route(API, (route) => route.fulfill({
      status: 200, contentType: 'application/json', body: JSON.stringify(answer),
    }));
    const show = async (a, lang = 'en') => {
      answer = a;
      await submit(page, async () => {
        await page.fill('#bounce', `550 5.1.1 unknown ${Math.random()}`);
        await page.click('#diagnose');
      });
      await page.waitForSelector(`#results[data-lang="${lang}"]`);
    };

    const labels = {
      text: 'Pasted text',
      dsn: 'Delivery status notification (RFC 3464)',
      bounce: 'Bounce message',
      autoreply: 'Automatic reply',
      mail: 'Ordinary message — not a bounce',
    };
    for (const [format, label] of Object.entries(labels)) {
      await show(fakeDiagnosis({ format }, [fakeResult()]));
      assert.equal(await page.getAttribute('#input-format', 'data-value'), format);
      assert.equal(await text(page, '#input-format'), label);
    }
    await show(fakeDiagnosis({ format: 'feedback', feedback_type: 'abuse' }, [fakeResult({ reason: 'feedback' })]));
    assert.equal(await text(page, '#input-format'), 'Feedback report (ARF): abuse');
    assert.equal(await page.getAttribute('#input-format', 'data-feedback-type'), 'abuse');

    // Several results: stages, actions, reporting servers; hostile strings everywhere new.
    await show(fakeDiagnosis({ format: 'feedback', feedback_type: evil('ftype') }, [
      fakeResult({ recipient: 'a@example.org', smtp_stage: 'data', action: 'failed', remote_mta: 'mx.example.org' }),
      fakeResult({ recipient: 'b@example.org', smtp_stage: 'connect', action: 'delayed', permanent: false }),
      fakeResult({ recipient: evil('rcpt'), smtp_stage: evil('stage'), action: evil('action'), remote_mta: evil('mta') }),
      fakeResult({ smtp_stage: 'mail' }),
    ]));
    assert.equal(await page.locator('#results img, #results script, #results b, #results a').count(), 0);
    await openAllDetails(page);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('.result').count(), 4);
    assert.equal(await text(page, '#overview'), '4 failed deliveries in this bounce: 3 permanent, 1 temporary.');
    assert.equal(await text(page, '#input-format'), `Feedback report (ARF): ${evil('ftype')}`);
    const card = (i) => page.locator('.result').nth(i);
    assert.equal(await text(card(0), '[data-field="recipient"]'), 'Recipient: a@example.org');
    assert.match(await text(card(0), '[data-field="smtp-stage"]'), /^After DATA/);
    assert.equal(await text(card(0), '[data-field="action"] code'), 'failed');
    assert.equal(await text(card(0), '[data-field="remote-mta"]'), 'mx.example.org');
    assert.match(await text(card(1), '[data-field="smtp-stage"]'), /^Connection/);
    assert.match(await text(card(1), '[data-field="action"]'), /^delayed.*keeps trying/);
    assert.equal(await card(1).locator('[data-field="remote-mta"]').count(), 0, 'no remote MTA row when null');
    assert.equal(await text(card(2), '[data-field="recipient"] code'), evil('rcpt'));
    assert.equal(await card(2).getAttribute('data-recipient'), evil('rcpt'));
    assert.equal(await text(card(2), '[data-field="smtp-stage"]'), evil('stage'));
    assert.equal(await text(card(2), '[data-field="action"]'), evil('action'));
    assert.equal(await text(card(2), '[data-field="remote-mta"]'), evil('mta'));
    assert.equal(await card(3).locator('[data-field="recipient"]').count(), 0, 'no recipient heading when null');
    assert.match(await text(card(3), '[data-field="smtp-stage"]'), /^MAIL FROM/);
    assert.equal(await card(3).locator('[data-field="action"]').count(), 0, 'no action row when null');

    // Russian plural forms of the overview.
    await page.selectOption('#lang', 'ru');
    for (const [n, words] of [[2, '2 неудачные доставки'], [5, '5 неудачных доставок'], [21, '21 неудачная доставка'],
      [12, '12 неудачных доставок']]) {
      await show(fakeDiagnosis({ format: 'dsn' }, Array.from({ length: n }, () => fakeResult()), 'ru'), 'ru');
      assert.match(await text(page, '#overview'), new RegExp(`^В этом отказе ${words}:`));
    }
    assert.match(await text(page, '.result .facts dt'), CYRILLIC);
  });
});


for (const colorScheme of ['light', 'dark']) {
  test(`the new parts have enough contrast (${colorScheme})`, { timeout: TIMEOUT }, async () => {
    const answer = fakeDiagnosis({ format: 'dsn' }, [
      fakeResult({ recipient: 'a@example.org', smtp_stage: 'rcpt', action: 'failed', remote_mta: 'mx.example.org' }),
      fakeResult({ recipient: 'b@example.org', smtp_stage: 'data', action: 'delayed', permanent: false }),
    ]);
    await withPage({ colorScheme }, async (page) => {
      await page.route(API, (route) => route.fulfill({
        status: 200, contentType: 'application/json', body: JSON.stringify(answer),
      }));
      await submit(page, () => page.setInputFiles('#eml-file', MAIL));
      const selectors = ['#open-file', '#file-help', '#file-status', '#file-name', '#file-size', '.input-format .k',
        '#input-format', '#overview', '.result-recipient .k', '.result [data-field="recipient"] code',
        '.result [data-field="smtp-stage"] strong', '.result [data-field="smtp-stage"] .desc',
        '.result [data-field="action"] code', '.result [data-field="remote-mta"] code'];
      for (const selector of selectors) {
        const ratio = await contrast(page, selector);
        assert.ok(ratio >= 4.5, `${selector}: contrast ${ratio.toFixed(2)} < 4.5`);
      }
      await dragOver(page, Buffer.from('x'), 'x.eml');
      await page.waitForSelector('#form[data-dragover="true"]');
      const ratio = await contrast(page, '.drop-hint p');
      assert.ok(ratio >= 4.5, `.drop-hint: contrast ${ratio.toFixed(2)} < 4.5`);
    });
  });
}

test('a two-recipient DSN fits a 360px-wide phone without horizontal scrolling', { timeout: TIMEOUT }, async () => {
  await withPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(await width() <= 360, `empty page is ${await width()}px wide`);
    assert.ok(await page.locator('#open-file').isVisible());
    await submit(page, () => page.setInputFiles('#eml-file', DSN));
    assert.ok(await page.locator('.result').count() >= 1);
    await openAllDetails(page);
    assert.ok(await width() <= 360, `page with the DSN results is ${await width()}px wide`);
    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-upload-360.png'), fullPage: true });
    assert.equal(await page.locator('.result').count(), 2, `two cards; the page shows ${JSON.stringify(await shown(page))}`);
    // The drop zone covers the card without widening the page.
    await dragOver(page, Buffer.from('x'), 'x.eml');
    await page.waitForSelector('#form[data-dragover="true"]');
    assert.ok(await width() <= 360, `page with the drop zone is ${await width()}px wide`);
  });
});
