// Browser test of the "SPF check (live DNS)" section of a result card (checks.spf), driven
// through the real server and its fixture DNS server (../fixtures/dns/zone.json: example.com
// has "v=spf1 ip4:198.51.100.0/24 include:_spf.example.net -all").
//
//   node --test api-tests/browser/spf.test.mjs
//
// Needs build/bouncedoc and build/dns-fixture (started by ../lib/server.mjs), Debian's Chromium
// at /usr/bin/chromium (override with CHROMIUM) and the playwright-core package. Screenshots go
// to /tmp (override with SCREENSHOT_DIR), never into the repository:
//   bouncedoc-spf-desktop.png, bouncedoc-spf-ru.png, bouncedoc-spf-dark.png,
//   bouncedoc-spf-360.png, bouncedoc-spf-not-checked.png, bouncedoc-spf-mocked.png
//
// No fixed sleeps: everything waits on Playwright's auto-waiting, waitForSelector,
// waitForFunction, waitForRequest or waitForResponse; every test has a timeout.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { browserSuite, contrast } from '../lib/browser.mjs';
import { freePort, get } from '../lib/server.mjs';

const SHOTS = process.env.SCREENSHOT_DIR || '/tmp';
const TIMEOUT = 60_000;

const SPF = '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com';
const RECORD = 'v=spf1 ip4:198.51.100.0/24 include:_spf.example.net -all';
const TRACE_TERMS = ['ip4:198.51.100.0/24', 'include:_spf.example.net', 'ip4:203.0.113.0/24', '~all', '-all'];
const CYRILLIC = /[А-Яа-яЁё]/;
const API = (url) => url.pathname.endsWith('/api/v1/diagnose');
const isApi = (r) => API(new URL(r.url()));

const SECTION = '.result [data-field="spf"]';

const text = async (page, selector) => ((await page.locator(selector).first().textContent()) ?? '').trim();

// Types the text, clicks Diagnose and waits until the answer is rendered; returns the request.
async function diagnose(page, bounce) {
  await page.fill('#bounce', bounce);
  const request = page.waitForRequest(isApi);
  const answered = page.waitForResponse(isApi);
  await page.click('#diagnose');
  const req = await request;
  await answered;
  await page.waitForSelector('#results[aria-busy="false"] .result');
  return req;
}

// The SPF section as data: assertions on it print what the page shows.
async function spfShown(page, root = SECTION) {
  return page.locator(root).first().evaluate((sec) => {
    const q = (sel) => sec.querySelector(sel);
    const txt = (sel) => (q(sel) ? q(sel).textContent.replace(/\s+/g, ' ').trim() : null);
    const attr = (sel, name) => (q(sel) ? q(sel).getAttribute(name) : null);
    return {
      status: sec.getAttribute('data-status'),
      result: sec.getAttribute('data-result'),
      heading: txt('h3'),
      badge: txt('[data-field="spf-result"]'),
      badgeValue: attr('[data-field="spf-result"]', 'data-value'),
      badgeClass: attr('[data-field="spf-result"]', 'class'),
      meaning: txt('[data-field="spf-meaning"]'),
      notCheckedReason: txt('[data-field="spf-not-checked-reason"]'),
      record: q('[data-field="spf-record"]') ? q('[data-field="spf-record"]').textContent : null,
      marks: [...sec.querySelectorAll('[data-field="spf-record"] mark')].map((m) => ({
        field: m.getAttribute('data-field'), text: m.textContent, value: m.getAttribute('data-value') })),
      note: txt('[data-field="spf-decisive-note"]'),
      noteDomain: attr('[data-field="spf-decisive-note"]', 'data-domain'),
      reason: txt('[data-field="spf-reason"]'),
      reasonLang: attr('[data-field="spf-reason"] span:not(.k)', 'lang'),
      explanation: txt('[data-field="spf-explanation"]'),
      lookups: txt('[data-field="spf-lookups"]'),
      lookupsValue: attr('[data-field="spf-lookups"]', 'data-value'),
      voids: txt('[data-field="spf-void-lookups"]'),
      traceHeading: txt('.spf-trace-box h4'),
      trace: [...sec.querySelectorAll('[data-field="spf-trace"] li.spf-step')].map((li) => ({
        term: li.getAttribute('data-term'),
        depth: Number(li.getAttribute('data-depth')),
        domain: li.getAttribute('data-domain'),
        outcome: li.getAttribute('data-outcome'),
        decisive: li.getAttribute('data-decisive') === 'true',
        outcomeLabel: li.querySelector('.spf-outcome').textContent.trim(),
        text: li.textContent.replace(/\s+/g, ' ').trim(),
        left: li.getBoundingClientRect().left,
      })),
      traceDomains: [...sec.querySelectorAll('[data-field="spf-trace"] li.spf-trace-domain')].map((li) => li.getAttribute('data-domain')),
      text: sec.textContent.replace(/\s+/g, ' ').trim(),
    };
  });
}

// The value of a custom property of the page's stylesheet (for the current colour scheme).
const cssVar = (page, name) => page.evaluate((n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim(), name);

// A CSS colour as the rgb() string getComputedStyle gives.
const toRgb = (page, color) => page.evaluate((c) => {
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.fillStyle = c;
  const hex = ctx.fillStyle; // normalised to #rrggbb
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}, color);

// The contrast of every part of the SPF section that is on the page.
async function assertSpfContrast(page, selectors) {
  for (const selector of selectors) {
    assert.ok(await page.locator(selector).count() > 0, `${selector} is on the page`);
    const ratio = await contrast(page, selector);
    assert.ok(ratio >= 4.5, `${selector}: contrast ${ratio.toFixed(2)} < 4.5`);
  }
}

describe('SPF evidence from the fixture DNS', () => {
  const { withPage } = browserSuite();

  test('an SPF bounce shows the SPF check: fail, the decisive -all, the trace and the lookups', { timeout: TIMEOUT }, async () => {
    await withPage({}, async (page) => {
      const req = await diagnose(page, SPF);
      const url = new URL(req.url());
      assert.equal(url.searchParams.get('checks'), 'auto', 'the page asks for the live checks');
      assert.equal(url.searchParams.get('lang'), 'en');

      await page.waitForSelector(SECTION);
      assert.equal(await page.locator(SECTION).count(), 1, 'one SPF section (one result card)');
      const s = await spfShown(page);

      assert.equal(s.status, 'checked', JSON.stringify(s));
      assert.equal(s.result, 'fail');
      assert.equal(s.heading, 'SPF check (live DNS)');
      assert.equal(s.badgeValue, 'fail');
      assert.equal(s.badge, 'SPF: fail');
      assert.match(s.badgeClass, /spf-badge-bad/);
      assert.match(s.meaning, /example\.com does not allow 192\.0\.2\.7 to send its mail/);
      assert.equal(s.notCheckedReason, null);

      // The record in monospace with the decisive term highlighted (by its offset).
      assert.equal(s.record, RECORD);
      assert.deepEqual(s.marks, [{ field: 'spf-decisive', text: '-all', value: '-all' }]);
      const mark = page.locator(`${SECTION} mark[data-field="spf-decisive"]`);
      assert.equal(await mark.textContent(), '-all');
      assert.match(await page.locator(`${SECTION} [data-field="spf-record"]`).evaluate((n) => getComputedStyle(n).fontFamily),
        /mono/i, 'the record is in a monospace font');
      assert.match(s.note, /^Decisive term: -all/);
      assert.equal(s.noteDomain, 'example.com');

      assert.match(s.reason, /^Why: .*-all/);
      assert.match(s.explanation, /192\.0\.2\.7 is not allowed to send mail from example\.com/);
      assert.equal(s.lookups, '1 of 10 DNS lookups');
      assert.equal(s.lookupsValue, '1');
      assert.match(s.voids, /^0 of 2 void lookups/);

      // The trace: every term in order, the include with what it looked up and found, the
      // included record's terms indented under it, -all decisive.
      assert.equal(s.traceHeading, 'How the record was evaluated');
      assert.deepEqual(s.trace.map((x) => x.term), TRACE_TERMS);
      const include = s.trace[1];
      assert.equal(include.outcome, 'no-match');
      assert.match(include.text, /include:_spf\.example\.net no match Looked up: TXT _spf\.example\.net Found: its record gives softfail/);
      assert.deepEqual(s.trace.map((x) => x.depth), [0, 0, 1, 1, 0]);
      assert.ok(s.trace[2].left > s.trace[1].left + 8, `the included record is indented (${s.trace[2].left} vs ${s.trace[1].left})`);
      assert.equal(s.trace[2].domain, '_spf.example.net');
      assert.deepEqual(s.traceDomains, ['_spf.example.net', 'example.com']);
      assert.deepEqual(s.trace.filter((x) => x.decisive).map((x) => `${x.domain} ${x.term}`), ['example.com -all']);
      assert.equal(s.trace[4].outcomeLabel, 'matched');

      // A labelled region with headings; not also dumped as raw JSON.
      assert.equal(await page.getByRole('region', { name: 'SPF check (live DNS)' }).count(), 1);
      assert.equal(await page.locator('#checks [data-check="spf"]').count(), 0);
      // It sits in the card, after how to fix it and before the details.
      const order = await page.locator('.result').first().evaluate((card) => [...card.querySelectorAll('h3')].map((h) => h.textContent));
      assert.deepEqual(order, ['What happened', 'How to fix it', 'SPF check (live DNS)', 'Details']);
      await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-spf-desktop.png'), fullPage: true });
    });
  });

  test('the SPF section in Russian', { timeout: TIMEOUT }, async () => {
    await withPage({ locale: 'ru-RU' }, async (page) => {
      await page.waitForFunction(() => document.documentElement.lang === 'ru');
      const req = await diagnose(page, SPF);
      assert.equal(new URL(req.url()).searchParams.get('lang'), 'ru');
      assert.equal(new URL(req.url()).searchParams.get('checks'), 'auto');
      await page.waitForSelector(`#results[data-lang="ru"] ${SECTION}`);
      const s = await spfShown(page);
      assert.equal(s.heading, 'Проверка SPF (DNS в реальном времени)');
      assert.equal(s.badge, 'SPF: fail');
      assert.match(s.meaning, /^Домен example\.com не разрешает адресу 192\.0\.2\.7/);
      assert.match(s.note, /^Решающий элемент: -all/);
      assert.match(s.reason, /^Почему:/);
      assert.match(s.explanation, /^Пояснение/);
      assert.equal(s.lookups, '1 из 10 DNS-запросов');
      assert.match(s.voids, /^0 из 2 пустых запросов/);
      assert.equal(s.traceHeading, 'Как вычислялась запись');
      assert.deepEqual(s.trace.map((x) => x.outcomeLabel), ['не подошёл', 'не подошёл', 'не подошёл', 'подошёл', 'подошёл']);
      assert.match(s.trace[1].text, /Запрос: TXT _spf\.example\.net Ответ:/);
      // The server's sentences come in the diagnosis language: no lang="en" on them.
      const reasonText = s.reason.replace(/^Почему:\s*/, '');
      assert.match(reasonText, CYRILLIC);
      assert.equal(s.reasonLang, null);
      assert.equal(await page.getByRole('region', { name: 'Проверка SPF (DNS в реальном времени)' }).count(), 1);
      await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-spf-ru.png'), fullPage: true });

      // Switching back re-renders it in English.
      await page.selectOption('#lang', 'en');
      await page.waitForSelector(`#results[data-lang="en"][aria-busy="false"] ${SECTION}`);
      assert.equal(await text(page, `${SECTION} h3`), 'SPF check (live DNS)');
    });
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`the SPF section has enough contrast (${colorScheme})`, { timeout: TIMEOUT }, async () => {
      await withPage({ colorScheme }, async (page) => {
        await diagnose(page, SPF);
        await page.waitForSelector(SECTION);
        await assertSpfContrast(page, [
          `${SECTION} h3`, `${SECTION} [data-field="spf-result"]`, `${SECTION} [data-field="spf-meaning"]`,
          `${SECTION} .spf-query`, `${SECTION} .spf-label`, `${SECTION} [data-field="spf-record"]`,
          `${SECTION} mark[data-field="spf-decisive"]`, `${SECTION} [data-field="spf-decisive-note"]`,
          `${SECTION} [data-field="spf-reason"] .k`, `${SECTION} [data-field="spf-reason"]`,
          `${SECTION} [data-field="spf-explanation"] q`, `${SECTION} [data-field="spf-lookups"]`,
          `${SECTION} .spf-trace-box h4`, `${SECTION} .spf-trace-domain`, `${SECTION} .spf-step-term`,
          `${SECTION} .spf-outcome-match`, `${SECTION} .spf-outcome-no-match`, `${SECTION} .spf-decisive-tag`,
          `${SECTION} .spf-step-detail .k`, `${SECTION} .spf-step-detail code`,
        ]);
        if (colorScheme === 'dark') {
          await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-spf-dark.png'), fullPage: true });
        }
      });
    });
  }

  test('the SPF section fits a 360px-wide phone', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
      const width = () => page.evaluate(() => document.documentElement.scrollWidth);
      await diagnose(page, SPF);
      await page.waitForSelector(SECTION);
      await page.locator('.result details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
      assert.ok(await width() <= 360, `page with the SPF section is ${await width()}px wide`);
      // Nothing in the section sticks out of the card.
      const overflow = await page.locator(SECTION).evaluate((sec) => {
        const card = sec.closest('.result').getBoundingClientRect();
        return [...sec.querySelectorAll('*')].filter((n) => {
          const r = n.getBoundingClientRect();
          return r.width > 0 && (r.right > card.right + 0.5 || r.left < card.left - 0.5);
        }).map((n) => n.className || n.tagName);
      });
      assert.deepEqual(overflow, []);
      // The highlighted term is not broken across lines.
      assert.equal(await page.locator(`${SECTION} mark[data-field="spf-decisive"]`).evaluate((m) => m.getClientRects().length), 1);
      await page.locator(SECTION).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-spf-360.png'), fullPage: true });
    });
  });

  test('answers the page cannot get from the fixture: decisive term in another record, a fix, hostile strings', { timeout: TIMEOUT }, async () => {
    const evil = (s) => `<img src=x onerror="window.__pwned='${s}'"><b>${s}</b>`;
    // A redirect whose target's -all decided (as the server reports it), with a suggested fix.
    const redirected = {
      status: 'checked', ip: '192.0.2.7', domain: 'example.com', result: 'fail',
      reason: evil('reason'), explanation: evil('explanation'),
      record: 'v=spf1 redirect=_spf.tärget.example',
      decisive_term: { domain: '_spf.tärget.example', term: '-all', depth: 1, offset: 24, length: 4 },
      lookups: 11, void_lookups: 3,
      trace: [
        { depth: 0, domain: 'example.com', term: 'redirect=_spf.tärget.example', offset: 7, length: 29,
          lookup: 'TXT _spf.tärget.example', found: evil('found'), outcome: 'applied', lookups: 1, void_lookups: 0 },
        { depth: 1, domain: '_spf.tärget.example', term: 'ip4:198.51.100.1', offset: 7, length: 16,
          lookup: null, found: null, outcome: 'no-match', lookups: 1, void_lookups: 0 },
        { depth: 1, domain: '_spf.tärget.example', term: '-all', offset: 24, length: 4,
          lookup: null, found: null, outcome: 'match', lookups: 1, void_lookups: 0 },
        { depth: 7, domain: 'deep.very-long-subdomain-name-without-any-break.example.com', term: `include:${'x'.repeat(120)}.example`,
          offset: 7, length: 128, lookup: `TXT ${'x'.repeat(120)}.example`, found: 'no SPF record', outcome: 'not-reached', lookups: 1, void_lookups: 0 },
        { depth: 0, domain: 'example.com', term: evil('term'), offset: 0, length: 3, lookup: null, found: null,
          outcome: evil('outcome'), lookups: 1, void_lookups: 0 },
      ],
      fix: {
        record: 'v=spf1 ip4:192.0.2.7 redirect=_spf.tärget.example',
        added: 'ip4:192.0.2.7',
        why: evil('why'),
        warning: 'Only add 192.0.2.7 if it really sends mail for example.com.',
      },
    };
    let answer = null;
    await withPage({}, async (page) => {
      await page.route(API, async (route) => {
        const res = await route.fetch();
        const json = await res.json();
        json.checks = { spf: answer, future_check: { status: 'checked' } };
        await route.fulfill({ response: res, json });
      });

      answer = redirected;
      await diagnose(page, SPF);
      await page.waitForSelector(SECTION);
      const s = await spfShown(page);
      // The decisive term is elsewhere: no highlight of it in this record, the note says where it
      // is, and the redirect that leads there is marked (UTF-8 byte offsets, "ä" is two bytes).
      assert.deepEqual(s.marks, [{ field: 'spf-via', text: 'redirect=_spf.tärget.example', value: 'redirect=_spf.tärget.example' }]);
      assert.equal(s.noteDomain, '_spf.tärget.example');
      assert.match(s.note, /^Decisive term: -all in the record of _spf\.tärget\.example, not in the record of example\.com\. The record of example\.com leads there through redirect=_spf\.tärget\.example \(highlighted\)\.$/);
      assert.deepEqual(s.trace.filter((x) => x.decisive).map((x) => `${x.domain} ${x.term}`), ['_spf.tärget.example -all']);
      assert.match(s.lookups, /^11 of 10 DNS lookups — over the limit$/);
      assert.match(s.voids, /^3 of 2 void lookups .* — over the limit$/);
      // The fix: corrected record with the added term marked, why and a warning.
      assert.equal(await text(page, `${SECTION} [data-field="spf-fix"] h4`), 'Suggested record');
      assert.equal(await text(page, `${SECTION} [data-field="spf-fix-record"]`), redirected.fix.record);
      assert.equal(await text(page, `${SECTION} [data-field="spf-fix-record"] mark[data-field="spf-fix-added-term"]`), 'ip4:192.0.2.7');
      assert.equal(await page.getAttribute(`${SECTION} [data-field="spf-fix-added"]`, 'data-value'), 'ip4:192.0.2.7');
      assert.equal(await text(page, `${SECTION} [data-field="spf-fix-why"]`), evil('why'));
      assert.match(await text(page, `${SECTION} [data-field="spf-fix-warning"]`), /^Caution: Only add 192\.0\.2\.7/);
      // Hostile strings stay text.
      assert.equal(await page.locator('#results img, #results script, #results b').count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.ok(s.text.includes(evil('found')) && s.text.includes(evil('term')));
      // A check the page has no view for is still shown (raw); spf is not repeated there.
      assert.equal(await page.locator('#checks [data-check="future_check"]').count(), 1);
      assert.equal(await page.locator('#checks [data-check="spf"]').count(), 0);
      await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-spf-mocked.png'), fullPage: true });

      // Long unbreakable names and deep nesting still fit 360px.
      await page.setViewportSize({ width: 360, height: 740 });
      const wide = await page.evaluate(() => [...document.querySelectorAll("#results *")].filter((n) => n.getBoundingClientRect().right > 360).map((n) => `${n.tagName}.${n.className} ${n.getBoundingClientRect().right}`));
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360, `fits 360px: ${wide.join(", ")}`);

      // pass / none / an unknown result, and a fix with only a warning.
      await page.setViewportSize({ width: 1280, height: 900 });
      answer = { ...redirected, result: 'pass', reason: 'ok', explanation: null, decisive_term: null,
        lookups: 1, void_lookups: 0, fix: { warning: 'Check it.' } };
      await diagnose(page, SPF);
      await page.waitForSelector(`${SECTION}[data-result="pass"]`);
      let t = await spfShown(page);
      assert.equal(t.badge, 'SPF: pass');
      assert.match(t.badgeClass, /spf-badge-ok/);
      assert.match(t.meaning, /allows 192\.0\.2\.7/);
      assert.equal(t.explanation, null, 'the explanation is for fail only');
      assert.equal(t.note, 'No term matched, so the default result applies.');
      assert.equal(await page.locator(`${SECTION} [data-field="spf-fix-record"]`).count(), 0);
      assert.match(await text(page, `${SECTION} [data-field="spf-fix-warning"]`), /Check it\./);

      answer = { ...redirected, result: 'none', record: null, decisive_term: null, trace: [], lookups: 0, void_lookups: 0 };
      delete answer.fix;
      await diagnose(page, SPF);
      await page.waitForSelector(`${SECTION}[data-result="none"]`);
      t = await spfShown(page);
      assert.match(t.text, /example\.com publishes no SPF record\./);
      assert.equal(t.record, null);
      assert.deepEqual(t.trace, []);
      assert.equal(await page.locator(`${SECTION} [data-field="spf-fix"]`).count(), 0);
    });
  });
});

describe('SPF when DNS does not answer', () => {
  // A DNS server address where nothing listens: the check cannot be made. The DNS canary is off,
  // so the check itself runs into it (with the canary, the check is not even started: below).
  const { withPage } = browserSuite(async () => ({
    dns: `127.0.0.1:${await freePort()}`, args: ['--dns-canary', 'none'],
  }));

  test('shows that SPF could not be checked, in grey, not as a failure of the domain', { timeout: TIMEOUT }, async () => {
    await withPage({}, async (page) => {
      await diagnose(page, SPF);
      await page.waitForSelector(`${SECTION}[data-status="not_checked"]`);
      const s = await spfShown(page);
      assert.equal(s.status, 'not_checked', JSON.stringify(s));
      assert.equal(s.heading, 'SPF check (live DNS)');
      assert.equal(s.badgeValue, 'not_checked');
      assert.equal(s.badge, 'Not checked');
      assert.match(s.badgeClass, /spf-badge-off/);
      assert.doesNotMatch(s.badgeClass, /spf-badge-bad/);
      assert.match(s.meaning, /^SPF could not be checked for example\.com\. This is not a failure of the domain/);
      assert.match(s.notCheckedReason, /^Why it could not be checked: \S/);
      assert.match(s.reason, /^Details: \S/);
      assert.match(s.text, /Diagnose again later/);
      // Nothing on it reads as a verdict on the domain.
      assert.doesNotMatch(s.text, /SPF: (fail|temperror)|does not allow|decisive/i);
      assert.equal(s.explanation, null);
      assert.deepEqual(s.marks, []);

      // Grey, not the red of a fail: the badge and the section's edge use the neutral colours.
      const look = await page.locator(SECTION).evaluate((sec) => {
        const badge = sec.querySelector('[data-field="spf-result"]');
        return { edge: getComputedStyle(sec).borderLeftColor, badgeBg: getComputedStyle(badge).backgroundColor,
          badgeFg: getComputedStyle(badge).color };
      });
      const colour = async (name) => toRgb(page, await cssVar(page, name));
      assert.equal(look.edge, await colour('--off-border'));
      assert.equal(look.badgeBg, await colour('--off-bg'));
      assert.notEqual(look.edge, await colour('--perm-border'));
      assert.notEqual(look.badgeBg, await colour('--perm-bg'));
      assert.notEqual(look.badgeFg, await colour('--perm-fg'));
      await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-spf-not-checked.png'), fullPage: true });

      // In Russian.
      await page.selectOption('#lang', 'ru');
      await page.waitForSelector(`#results[data-lang="ru"][aria-busy="false"] ${SECTION}[data-status="not_checked"]`);
      const r = await spfShown(page);
      assert.equal(r.badge, 'Не проверено');
      assert.match(r.meaning, /^Проверить SPF домена example\.com не удалось\. Это не ошибка домена/);
      assert.match(r.notCheckedReason, /^Почему проверить не удалось:/);
    });
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`the not-checked state has enough contrast (${colorScheme})`, { timeout: TIMEOUT }, async () => {
      await withPage({ colorScheme }, async (page) => {
        await diagnose(page, SPF);
        await page.waitForSelector(`${SECTION}[data-status="not_checked"]`);
        await assertSpfContrast(page, [
          `${SECTION} h3`, `${SECTION} [data-field="spf-result"]`, `${SECTION} [data-field="spf-meaning"]`,
          `${SECTION} [data-field="spf-not-checked-reason"] .k`, `${SECTION} [data-field="spf-not-checked-reason"]`,
          `${SECTION} .spf-retry`,
        ]);
      });
    });
  }
});

describe('SPF while the DNS canary finds the resolver not answering correctly', () => {
  // Nothing listens at the DNS server's address: the canary's question fails at start, so the
  // check is not started; checks.spf is its status and why, no query, no result.
  const { withPage, server } = browserSuite(async () => ({ dns: `127.0.0.1:${await freePort()}` }));

  test('shows that SPF was not checked and why, in grey, naming no domain', { timeout: TIMEOUT }, async () => {
    const srv = server();
    const t0 = Date.now();
    while (!/^bouncedoc_dns_canary_healthy 0$/m.test((await get(srv.url, '/metrics')).text)) {
      assert.ok(Date.now() - t0 < 5000, 'the canary finds the resolver not answering');
      await new Promise((r) => setTimeout(r, 20));
    }
    await withPage({}, async (page) => {
      await diagnose(page, SPF);
      await page.waitForSelector(`${SECTION}[data-status="not_checked"]`);
      const s = await spfShown(page);
      assert.equal(s.badgeValue, 'not_checked', JSON.stringify(s));
      assert.equal(s.badge, 'Not checked');
      assert.match(s.badgeClass, /spf-badge-off/);
      assert.equal(s.meaning, 'SPF was not checked. This is not a failure of the domain: it says nothing about '
        + 'whether the sending server may send its mail.');
      assert.match(s.notCheckedReason,
        /^Why it could not be checked: the DNS resolver is not answering correctly \(.+\), so nothing it says is evidence$/);
      assert.equal(s.reason, null, 'no details: nothing was evaluated');
      assert.equal(s.record, null);
      assert.deepEqual(s.trace, []);
      assert.doesNotMatch(s.text, /SPF: (fail|temperror|none)|does not allow|publishes no|decisive/i);
      assert.match(s.text, /Diagnose again later/);

      await page.selectOption('#lang', 'ru');
      await page.waitForSelector(`#results[data-lang="ru"][aria-busy="false"] ${SECTION}[data-status="not_checked"]`);
      const r = await spfShown(page);
      assert.match(r.meaning, /^SPF не проверялся\. Это не ошибка домена/);
      assert.match(r.notCheckedReason, /^Почему проверить не удалось: рекурсивный DNS-сервер отвечает неправильно/);
    });
  });
});
