// Browser test of the web page (static/), driven through the real server.
//
//   node --test api-tests/browser/page.test.mjs
//
// Needs build/bouncedoc (started by ../lib/server.mjs), Debian's Chromium at /usr/bin/chromium
// (override with CHROMIUM) and the playwright-core package. Screenshots go to /tmp
// (override with SCREENSHOT_DIR), never into the repository:
//   bouncedoc-desktop.png, bouncedoc-360.png, bouncedoc-ru.png, bouncedoc-dark.png,
//   bouncedoc-error.png
//
// No fixed sleeps: everything waits on Playwright's auto-waiting, waitForSelector,
// waitForFunction or waitForResponse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { browserSuite, contrast } from '../lib/browser.mjs';

const SHOTS = process.env.SCREENSHOT_DIR || '/tmp';
const TIMEOUT = 60_000;

const SPF = '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com';
const HOSTILE = '<img src=x onerror="window.__pwned=1">550 5.1.1 <b>user</b> unknown';
const LONG = '554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; '
  + 'https://www.spamhaus.org/query/ip/192.0.2.7?reason=listed-because-of-spam-complaints-from-many-recipients '
  + '<a-very-long-mailbox-name-that-never-ends-and-has-no-spaces@subdomain.of.some.very-long-example-domain.example.com>';
const CYRILLIC = /[А-Яа-яЁё]/;
const API = (url) => url.pathname.endsWith('/api/v1/diagnose');

const suite = browserSuite();
const { withPage } = suite;

const text = async (page, selector) => ((await page.locator(selector).first().textContent()) ?? '').trim();

// Types the text, clicks Diagnose and waits until the answer is rendered.
async function diagnose(page, bounce) {
  await page.fill('#bounce', bounce);
  const answered = page.waitForResponse((r) => API(new URL(r.url())));
  await page.click('#diagnose');
  await answered;
  await page.waitForSelector('#results[aria-busy="false"] .result');
}


test('the page is labelled, has landmarks and stable hooks', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('main').count(), 1);
    assert.equal(await page.locator('header').count() >= 1, true);
    // The textarea is found by its visible label.
    assert.equal(await page.getByLabel('Bounce message').getAttribute('id'), 'bounce');
    assert.equal(await page.getByLabel('Language').getAttribute('id'), 'lang');
    assert.equal(await text(page, '#diagnose'), 'Diagnose');
    assert.equal(await page.getAttribute('#error', 'role'), 'alert');
    assert.equal(await page.getAttribute('#results', 'aria-live'), 'polite');
    assert.equal(await page.locator('button.example').count(), 3);
    assert.equal(await page.locator('#results .result').count(), 0);
    // No inline scripts or styles: the server's CSP is default-src 'self'.
    assert.equal(await page.locator('script:not([src])').count(), 0);
    assert.equal(await page.locator('[style]').count(), 0);
  });
});

test('an SPF bounce is diagnosed and shown as a person reads it', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    const request = page.waitForRequest((r) => API(new URL(r.url())));
    await diagnose(page, SPF);
    const req = await request;
    assert.equal(req.method(), 'POST');
    assert.equal(new URL(req.url()).searchParams.get('lang'), 'en');
    assert.match(req.headers()['content-type'], /^application\/json/);
    assert.deepEqual(req.postDataJSON(), { text: SPF });

    const card = page.locator('.result').first();
    assert.equal(await text(page, '.result [data-field="reason"]'), 'authfailure');
    assert.ok((await text(page, '.result [data-field="title"]')).length > 0, 'a headline');
    assert.equal(await text(page, '.result [data-field="permanent"]'), 'Permanent');
    assert.equal(await card.getAttribute('data-permanent'), 'true');

    const fixBy = page.locator('.result [data-field="fix-by"]');
    assert.ok(await fixBy.isVisible(), 'who must fix it is visible');
    assert.ok(((await fixBy.textContent()) ?? '').trim().length > 0);
    assert.ok(await page.getByText('Who must fix it').first().isVisible());

    assert.ok((await text(page, '.result [data-field="summary"]')).length > 0, 'a summary');
    assert.ok((await text(page, '.result [data-field="explanation"]')).length > 0, 'an explanation');
    const steps = page.locator('.result ol[data-field="fix"] > li');
    assert.ok(await steps.count() >= 1, 'at least one fix step');
    assert.ok(((await steps.first().textContent()) ?? '').trim().length > 0);

    assert.equal(await page.getAttribute('.result [data-field="reply-code"]', 'data-value'), '550');
    assert.match(await text(page, '.result [data-field="reply-code"]'), /550/);
    assert.equal(await page.getAttribute('.result [data-field="status"]', 'data-value'), '5.7.1');
    assert.match(await text(page, '.result [data-field="status"]'), /5\.7\.1[\s\S]*RFC/);
    assert.ok((await page.getAttribute('.result [data-field="rule"]', 'data-value')).length > 0,
      'the matched rule is named');

    // All matched rules sit in a collapsed <details>; opening it shows them.
    const more = page.locator('.result details[data-field="matched-rules"]');
    assert.equal(await more.evaluate((d) => d.open), false);
    await more.locator('summary').click();
    await page.waitForSelector('.result details[data-field="matched-rules"][open] li[data-won="true"]');

    assert.equal(await text(page, '#entities [data-entity="sending_ip"]'), '192.0.2.7');
    // Only non-empty entities are listed.
    for (const el of await page.locator('#entities [data-entity]').all()) {
      assert.ok(((await el.textContent()) ?? '').trim().length > 0);
    }

    assert.equal(await text(page, '#error'), '');
    assert.equal(await page.getAttribute('#diagnose', 'disabled'), null);
    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-desktop.png'), fullPage: true });
  });
});

test('switching to Russian translates the page and re-diagnoses in Russian', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await diagnose(page, SPF);
    assert.equal(await page.getAttribute('#results', 'data-lang'), 'en');

    const request = page.waitForRequest((r) => API(new URL(r.url())));
    await page.selectOption('#lang', 'ru');
    assert.equal(new URL((await request).url()).searchParams.get('lang'), 'ru');
    await page.waitForSelector('#results[data-lang="ru"][aria-busy="false"] .result');

    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    assert.equal(await text(page, '#diagnose'), 'Разобрать');
    assert.match(await text(page, 'label[for="bounce"]'), CYRILLIC);
    assert.match(await text(page, 'h1'), CYRILLIC);
    assert.ok(await page.getByText('Кто должен исправить').first().isVisible());
    assert.equal(await text(page, '.result [data-field="permanent"]'), 'Постоянная ошибка');
    assert.equal(await text(page, '.result [data-field="reason"]'), 'authfailure');
    // The result texts themselves come back in Russian.
    assert.match(await text(page, '.result [data-field="title"]'), CYRILLIC);
    assert.match(await text(page, '.result [data-field="fix-by"]'), CYRILLIC);
    assert.match(await text(page, '.result [data-field="summary"]'), CYRILLIC);
    assert.equal(await text(page, '#entities [data-entity="sending_ip"]'), '192.0.2.7');
    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-ru.png'), fullPage: true });

    // The choice is remembered.
    assert.equal(await page.evaluate(() => localStorage.getItem('bouncedoc.lang')), 'ru');
    await page.reload();
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    assert.equal(await page.inputValue('#lang'), 'ru');
    assert.equal(await text(page, '#diagnose'), 'Разобрать');
  });
});

test('the default language follows the browser', { timeout: TIMEOUT }, async () => {
  await withPage({ locale: 'ru-RU' }, async (page) => {
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    assert.equal(await page.inputValue('#lang'), 'ru');
    assert.equal(await text(page, '#diagnose'), 'Разобрать');
    const request = page.waitForRequest((r) => API(new URL(r.url())));
    await diagnose(page, SPF);
    assert.equal(new URL((await request).url()).searchParams.get('lang'), 'ru');
  });
});

test('hostile input is shown as text, never as markup', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await diagnose(page, HOSTILE);
    assert.equal(await page.locator('img').count(), 0, 'no <img> was created');
    assert.equal(await page.locator('#results b').count(), 0, 'no <b> was created');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.inputValue('#bounce'), HOSTILE);
    assert.ok((await text(page, '.result [data-field="reason"]')).length > 0);
  });
});

test('hostile strings in every field of an answer stay text', { timeout: TIMEOUT }, async () => {
  const evil = (s) => `<img src=x onerror="window.__pwned='${s}'"><script>window.__pwned='s'</script><b>${s}</b>`;
  const diagnosis = {
    lang: 'en',
    input: { bytes: 10, lines: 1, format: 'text' },
    results: [{
      recipient: evil('rcpt'), reason: 'userunknown', title: evil('title'), permanent: true,
      permanent_source: 'status', hard_bounce: true, reply_code: '550',
      reply_code_info: { code: '550', class: { title: evil('cc'), description: evil('cd') },
        category: { title: evil('kc'), description: evil('kd') }, detail: null },
      status: '5.1.1',
      status_info: { code: '5.1.1', class: { title: evil('sc'), description: evil('sd') }, subject: null,
        detail: { title: evil('dt'), description: evil('dd'), rfc: evil('rfc') } },
      fix_by: 'sender', fix_by_label: evil('fixby'),
      rule: { id: evil('rid'), source: evil('src'), title: evil('rtitle') },
      matched_rules: [{ id: evil('mid'), source: 's', reason: 'userunknown', priority: 1, constraints: 0,
        position: 0, matched: evil('matched'), won: true }],
      decision: evil('decision'), summary: evil('summary'), explanation: evil('explanation'),
      fix: [evil('fix1'), evil('fix2')], diagnostic: evil('diagnostic'),
    }],
    entities: { ips: [evil('ip')], domains: [evil('dom')], emails: [], hosts: [], blocklists: [],
      urls: ['javascript:window.__pwned=1'], sending_ip: evil('sip'), sender_domain: null, remote_host: null,
      remote_ip: null },
    checks: {},
    anomalies: ['repaired_utf8'],
  };
  await withPage({}, async (page) => {
    await page.route(API, (route) => route.fulfill({
      status: 200, contentType: 'application/json', body: JSON.stringify(diagnosis),
    }));
    await diagnose(page, SPF);
    assert.equal(await page.locator('#results img, #results script, #results b, #results a').count(), 0);
    await page.locator('.result details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await text(page, '.result [data-field="title"]'), evil('title'));
    assert.equal(await text(page, '.result [data-field="fix"] li'), evil('fix1'));
    assert.equal(await text(page, '#entities [data-entity="sending_ip"]'), evil('sip'));
    assert.ok((await text(page, '#results')).includes('<b>matched</b>'));
    // Anomalies are noted; an empty `checks` renders nothing.
    assert.equal(await page.locator('#anomalies [data-anomaly="repaired_utf8"]').count(), 1);
    assert.equal(await page.locator('#checks').count(), 0);
  });
});

test('an API failure shows a clear alert', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await page.route(API, (route) => route.fulfill({
      status: 500,
      contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'urn:bouncedoc:problem:internal-error', title: 'Internal error',
        status: 500, code: 'internal-error', detail: 'The rule engine failed.' }),
    }));
    await page.fill('#bounce', SPF);
    await page.click('#diagnose');
    await page.waitForSelector('#error:has-text("The rule engine failed.")');
    assert.ok(await page.locator('#error').isVisible());
    assert.equal(await page.getAttribute('#error', 'role'), 'alert');
    assert.match(await text(page, '#error'), /^The service could not diagnose this: The rule engine failed\.$/);
    assert.equal(await page.locator('#results .result').count(), 0);
    await page.waitForSelector('#diagnose:not([disabled])');
    assert.equal(await page.getAttribute('#results', 'aria-busy'), 'false');
    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-error.png') });

    // A network failure.
    await page.unroute(API);
    await page.route(API, (route) => route.abort('failed'));
    await page.click('#diagnose');
    await page.waitForSelector('#error:has-text("Could not reach the service")');

    // A non-JSON error page from a proxy.
    await page.unroute(API);
    await page.route(API, (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }));
    await page.click('#diagnose');
    await page.waitForSelector('#error:has-text("HTTP 502")');
    assert.equal(await page.locator('#error h1').count(), 0);

    // A 200 answer that is not a diagnosis.
    await page.unroute(API);
    await page.route(API, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"results": "nope"}' }));
    await page.click('#diagnose');
    await page.waitForSelector('#error:has-text("does not understand")');

    // Success clears the alert.
    await page.unroute(API);
    await diagnose(page, SPF);
    assert.equal(await text(page, '#error'), '');
  });
});

test('diagnosing empty text asks for a bounce', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await page.fill('#bounce', '   \n ');
    await page.click('#diagnose');
    await page.waitForSelector('#error:has-text("Paste a bounce message first.")');
    assert.equal(await page.getAttribute('#bounce', 'aria-invalid'), 'true');
    assert.equal(await page.locator('#results .result').count(), 0);
    // In Russian too.
    await page.selectOption('#lang', 'ru');
    await page.waitForSelector('#error:has-text("Сначала вставьте текст отказа.")');
  });
});

test('the button is disabled and the results busy while waiting', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    await page.route(API, async (route) => { await gate; await route.continue(); });
    await page.fill('#bounce', SPF);
    await page.click('#diagnose');
    await page.waitForSelector('#diagnose[disabled]');
    assert.equal(await page.getAttribute('#results', 'aria-busy'), 'true');
    assert.equal(await text(page, '#diagnose'), 'Diagnosing…');
    release();
    await page.waitForSelector('#results[aria-busy="false"] .result');
    assert.equal(await page.getAttribute('#diagnose', 'disabled'), null);
    assert.equal(await text(page, '#diagnose'), 'Diagnose');
  });
});

test('works with the keyboard: Ctrl+Enter submits, Tab reaches the button', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await page.focus('#bounce');
    await page.keyboard.type(SPF);
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#results[aria-busy="false"] .result');
    assert.equal(await text(page, '.result [data-field="reason"]'), 'authfailure');
    assert.equal(await page.inputValue('#bounce'), SPF, 'Ctrl+Enter adds no line break');

    await page.focus('#bounce');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'diagnose');
    const answered = page.waitForResponse((r) => API(new URL(r.url())));
    await page.keyboard.press('Enter');
    await answered;
    await page.waitForSelector('#results[aria-busy="false"] .result');
  });
});

test('example buttons fill in a bounce and diagnose it', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    let answered = page.waitForResponse((r) => API(new URL(r.url())));
    await page.click('button.example[data-example="1"]');
    await answered;
    await page.waitForSelector('#results[aria-busy="false"] .result');
    assert.match(await page.inputValue('#bounce'), /does not exist/);
    assert.equal(await text(page, '.result [data-field="reason"]'), 'userunknown');
    assert.equal(await text(page, '.result [data-field="permanent"]'), 'Permanent');

    answered = page.waitForResponse((r) => API(new URL(r.url())));
    await page.click('button.example[data-example="2"]');
    await answered;
    await page.waitForSelector('#results[aria-busy="false"] .result[data-permanent="false"]');
    assert.match(await page.inputValue('#bounce'), /over quota/);
    assert.equal(await text(page, '.result [data-field="reason"]'), 'mailboxfull');
    assert.equal(await text(page, '.result [data-field="permanent"]'), 'Temporary');
  });
});

test('fits a 360px-wide phone without horizontal scrolling', { timeout: TIMEOUT }, async () => {
  await withPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(await width() <= 360, `empty page is ${await width()}px wide`);
    // The Gmail example has long lines and a long URL.
    const answered = page.waitForResponse((r) => API(new URL(r.url())));
    await page.click('button.example[data-example="1"]');
    await answered;
    await page.waitForSelector('#results[aria-busy="false"] .result');
    await page.locator('.result details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    assert.ok(await width() <= 360, `page with a result is ${await width()}px wide`);
    // Long unbreakable tokens (a URL, an address) must wrap, not widen the page.
    await diagnose(page, LONG);
    await page.locator('.result details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    assert.ok(await width() <= 360, `page with long tokens is ${await width()}px wide`);
    await diagnose(page, SPF);
    await page.locator('.result details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    assert.ok(await width() <= 360, `page with the SPF result is ${await width()}px wide`);
    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-360.png'), fullPage: true });
  });
});

for (const colorScheme of ['light', 'dark']) {
  test(`text has enough contrast (${colorScheme})`, { timeout: TIMEOUT }, async () => {
    await withPage({ colorScheme }, async (page) => {
      await diagnose(page, SPF);
      for (const selector of ['h1', '.lead', 'label[for="bounce"]', '#bounce', '#diagnose', 'button.example',
        '.result [data-field="reason"]', '.result [data-field="title"]', '.result [data-field="permanent"]',
        '.verdict-hint', '.result [data-field="fix-by"]', '.result [data-field="summary"]', '.facts dt',
        '.desc', '#entities dt', '.site-footer a']) {
        const ratio = await contrast(page, selector);
        assert.ok(ratio >= 4.5, `${selector}: contrast ${ratio.toFixed(2)} < 4.5`);
      }
      if (colorScheme === 'dark') {
        await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-dark.png'), fullPage: true });
      }
    });
  });
}
