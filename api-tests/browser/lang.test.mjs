// Browser test of the page's languages and texts: the language menu is what
// GET /api/v1/languages lists, every label comes from GET /api/v1/texts (fetched once per
// language), plural forms follow the language, and a page whose texts cannot be fetched keeps
// its markup's English and says so.
//
//   node --test api-tests/browser/lang.test.mjs
//
// Needs build/bouncedoc (started by ../lib/server.mjs), Debian's Chromium at /usr/bin/chromium
// (override with CHROMIUM) and the playwright-core package.
//
// No fixed sleeps: everything waits on Playwright's auto-waiting, waitForSelector,
// waitForFunction, waitForRequest or waitForResponse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite } from '../lib/browser.mjs';
import { get } from '../lib/server.mjs';

const TIMEOUT = 60_000;
const API = (url) => url.pathname.endsWith('/api/v1/diagnose');
const TEXTS = (url) => url.pathname.endsWith('/api/v1/texts');
const LANGUAGES = (url) => url.pathname.endsWith('/api/v1/languages');
const isTexts = (r) => TEXTS(new URL(r.url()));
const isApi = (r) => API(new URL(r.url()));
const SPF = '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com';

const suite = browserSuite();
const { withPage } = suite;

const text = async (page, selector) => ((await page.locator(selector).first().textContent()) ?? '').trim();
const serverJson = async (path, headers = {}) => (await get(suite.server().url, path, headers)).json;

// Opens the page again with routes in place from the first request on (withPage opened it
// without them), and waits until the markup is there.
async function reopen(page) {
  await page.reload();
  await page.locator('#bounce').waitFor();
}

// A diagnosis made up by the test, with n results.
function fakeDiagnosis(n, lines, lang) {
  const result = {
    recipient: null, reason: 'userunknown', title: 't', permanent: true, permanent_source: 'status',
    hard_bounce: true, reply_code: '550', reply_code_info: null, status: '5.1.1', status_info: null,
    fix_by: 'sender', fix_by_label: 'f', rule: null, matched_rules: [], decision: 'd', summary: 's',
    explanation: 'e', fix: ['f'], diagnostic: 'x', smtp_stage: null, action: null, remote_mta: null,
  };
  return {
    lang,
    input: { bytes: 10, lines, format: 'text' },
    results: Array.from({ length: n }, () => ({ ...result })),
    entities: { ips: [], domains: [], emails: [], hosts: [], blocklists: [], urls: [], sending_ip: null,
      sender_domain: null, remote_host: null, remote_ip: null },
    checks: {},
    anomalies: [],
  };
}

test('the language menu lists the languages of /api/v1/languages, each named in itself', { timeout: TIMEOUT }, async () => {
  const served = await serverJson('/api/v1/languages');
  const menu = (page) => page.locator('#lang option').evaluateAll((os) => os.map((o) => ({
    code: o.value, name: o.textContent, lang: o.getAttribute('lang'),
  })));
  await withPage({}, async (page) => {
    // The menu is built from the list the server sends: a changed list shows changed.
    await page.route(LANGUAGES, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      body.languages = body.languages.map((l) => ({ ...l, name: `${l.name} (served)` }));
      await route.fulfill({ response: res, json: body });
    });
    await reopen(page);
    await page.waitForSelector('#lang option:has-text("(served)")', { state: 'attached' });
    assert.deepEqual(await menu(page),
      served.languages.map((l) => ({ code: l.code, name: `${l.name} (served)`, lang: l.code })));
    assert.equal(await page.inputValue('#lang'), served.default);

    // And as the server sends it.
    await page.unroute(LANGUAGES);
    const listed = page.waitForResponse((r) => LANGUAGES(new URL(r.url())));
    const texts = page.waitForResponse(isTexts);
    await reopen(page);
    await listed;
    await texts;
    const want = served.languages.map((l) => ({ code: l.code, name: l.name, lang: l.code }));
    await page.waitForFunction((w) => JSON.stringify([...document.querySelectorAll('#lang option')].map((o) => ({
      code: o.value, name: o.textContent, lang: o.getAttribute('lang'),
    }))) === w, JSON.stringify(want));
    assert.deepEqual(await menu(page), want);
  });
});

test('the labels are the server\'s texts, fetched once per language', { timeout: TIMEOUT }, async () => {
  const en = (await serverJson('/api/v1/texts?lang=en')).texts;
  const ru = (await serverJson('/api/v1/texts?lang=ru')).texts;
  await withPage({}, async (page) => {
    // the first load's own requests are over before counting starts
    await page.waitForLoadState('networkidle');
    const asked = [];
    page.on('request', (r) => { if (isTexts(r)) asked.push(new URL(r.url()).searchParams.get('lang')); });
    // What the server sends is what the page shows: a changed text shows changed.
    await page.route(TEXTS, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      body.texts['page.heading'] = `${body.texts['page.heading']} (served)`;
      await route.fulfill({ response: res, json: body });
    });
    const first = page.waitForResponse(isTexts);
    await reopen(page);
    assert.equal(new URL((await first).url()).searchParams.get('lang'), 'en');
    await page.waitForSelector(`h1:has-text("${en['page.heading']} (served)")`);
    assert.equal(await text(page, '#diagnose'), en['page.diagnose']);
    assert.equal(await page.title(), en['page.pageTitle']);

    // Switching asks the server for the Russian texts.
    const russian = page.waitForRequest(isTexts);
    await page.selectOption('#lang', 'ru');
    assert.equal(new URL((await russian).url()).searchParams.get('lang'), 'ru');
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    assert.equal(await text(page, 'h1'), `${ru['page.heading']} (served)`);
    assert.equal(await text(page, '#diagnose'), ru['page.diagnose']);
    assert.equal(await text(page, 'label[for="bounce"]'), ru['page.bounceLabel']);
    assert.equal(await page.getAttribute('#results', 'aria-label'), ru['page.resultsLabel']);

    // Back and forth again: the texts of each language were fetched once.
    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.selectOption('#lang', 'ru');
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    assert.deepEqual(asked, ['en', 'ru'], `texts requests: ${asked}`);
  });
});

test('plural forms follow the language: one, few, many in Russian', { timeout: TIMEOUT }, async () => {
  const ru = (await serverJson('/api/v1/texts?lang=ru')).texts;
  const en = (await serverJson('/api/v1/texts?lang=en')).texts;
  await withPage({}, async (page) => {
    let n = 2;
    let lines = 1;
    await page.route(API, (route) => {
      const lang = new URL(route.request().url()).searchParams.get('lang');
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(fakeDiagnosis(n, lines, lang)) });
    });
    const show = async (count, lineCount) => {
      n = count;
      lines = lineCount;
      const answered = page.waitForResponse(isApi);
      await page.fill('#bounce', SPF);
      await page.click('#diagnose');
      await answered;
      await page.waitForSelector(`#results[aria-busy="false"] #overview[data-count="${count}"]`);
      return { overview: await text(page, '#overview strong'), info: await text(page, '#input-info') };
    };
    let s = await show(2, 1);
    assert.equal(s.overview, `2 ${en['page.deliveries.other']} in this bounce`);
    assert.equal(s.info, 'Analysed: 10 bytes, 1 line.');
    s = await show(3, 7);
    assert.equal(s.info, 'Analysed: 10 bytes, 7 lines.');

    await page.selectOption('#lang', 'ru');
    await page.waitForSelector('#results[data-lang="ru"][aria-busy="false"] #overview');
    for (const [count, form] of [[21, 'one'], [2, 'few'], [5, 'many'], [11, 'many'], [22, 'few']]) {
      s = await show(count, 3);
      assert.equal(s.overview, `В этом отказе ${count} ${ru[`page.deliveries.${form}`]}`, `${count}: ${form}`);
    }
    assert.equal(s.info, 'Проанализировано: байт — 10, строк — 3.');
  });
});

test('texts that cannot be fetched: the markup\'s English stays and the alert says so', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    const diagnoses = [];
    page.on('request', (r) => { if (isApi(r)) diagnoses.push(r.url()); });
    await page.route(TEXTS, (route) => route.abort('failed'));
    await reopen(page);
    await page.waitForSelector('#error:has-text("could not be loaded")');
    assert.equal(await text(page, 'h1'), 'Why did my email bounce?');
    assert.equal(await text(page, '#diagnose'), 'Diagnose');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(await page.locator('#bounce').isVisible(), 'the form is there');

    // A diagnosis asked for meanwhile tries the texts again; still failing, it is not sent.
    await page.fill('#bounce', SPF);
    const retried = page.waitForRequest(isTexts);
    await page.click('#diagnose');
    await retried;
    await page.waitForSelector('#error:has-text("could not be loaded")');
    assert.deepEqual(diagnoses, [], 'no diagnosis without texts');

    // Once the texts come, the same button diagnoses.
    await page.unroute(TEXTS);
    const answered = page.waitForResponse(isApi);
    await page.click('#diagnose');
    await answered;
    await page.waitForSelector('#results[aria-busy="false"] .result');
    assert.equal(await text(page, '#error'), '');
    assert.equal(await text(page, '.result [data-field="permanent"]'), 'Permanent');
  });
});

test('no language list: the markup stays English and the alert says so', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await page.route(LANGUAGES, (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'down' }));
    await reopen(page);
    await page.waitForSelector('#error:has-text("could not be loaded")');
    assert.equal(await text(page, 'h1'), 'Why did my email bounce?');
    assert.equal(await page.locator('#lang option').count(), 2, 'the markup\'s menu stays');
  });
});

test('a language whose texts cannot be fetched is not switched to', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await page.route(TEXTS, (route) => (new URL(route.request().url()).searchParams.get('lang') === 'ru'
      ? route.fulfill({ status: 500, contentType: 'text/plain', body: 'no' })
      : route.continue()));
    const english = page.waitForResponse(isTexts);
    await reopen(page);
    await english;
    await page.selectOption('#lang', 'ru');
    await page.waitForSelector('#error:has-text("could not be loaded")');
    assert.equal(await page.inputValue('#lang'), 'en', 'the menu shows the language on screen');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, '#diagnose'), 'Diagnose');

    // Later it works.
    await page.unroute(TEXTS);
    await page.selectOption('#lang', 'ru');
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    assert.equal(await text(page, '#diagnose'), 'Разобрать');
  });
});
