// Browser test: the page in the pseudo-language (../lib/pseudo.mjs) shows no English. With `xx`
// chosen in the language menu, every word the page shows or gives to assistive technology
// (text, aria-label, title, placeholder, alt) of the empty form, of the answers to a pasted
// SPF refusal (with its DMARC card), to a two-recipient DSN, to a blocklist refusal (DNSBL and
// PTR cards), to an unknown user (MX card), to a signed DMARC refusal (DKIM card), to a refusal
// whose reverse DNS could not be checked, and of the "check a sender" form with its answer and
// its message, every <details> opened, comes from the catalog: once the data of the answer
// (domains, addresses, codes, the server's own words) is taken out, no ASCII word is left. A
// label written into index.html or app.js, and not among the page.* texts, fails here with the
// word and where it stands. The DNS is browser/fixtures/checks-zone.json and the blocklists are
// browser/fixtures/checks-dnsbl.json (whose meanings are catalog texts, so pseudo too).
//
//   node --test api-tests/browser/pseudo.test.mjs
//
// Needs build/bouncedoc (started by ../lib/server.mjs), Debian's Chromium at /usr/bin/chromium
// (override with CHROMIUM) and the playwright-core package.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserSuite } from '../lib/browser.mjs';
import { leftoverWords, pseudoRules, strings, TEXT_KEYS } from '../lib/pseudo.mjs';
import { post } from '../lib/server.mjs';

const TIMEOUT = 90_000;
const API = (url) => url.pathname.endsWith('/api/v1/diagnose');
const CHECK = (url) => url.pathname.endsWith('/api/v1/check');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(HERE, '..', 'fixtures', 'eml');
const CHECKS_FIXTURES = path.join(HERE, 'fixtures');
const SPF = '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com';
const DSN = readFileSync(path.join(FIXTURES, 'postfix-two-recipients.eml'));
const SIGNED = readFileSync(path.join(CHECKS_FIXTURES, 'dmarc-dkim.eml'));
const BLOCKED = '554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using bl.test-list.example';
const BLOCKED_UNCHECKED = '554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using bl.test-list.example';
const UNKNOWN = '550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table';

let tmp;
const suite = browserSuite(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'bouncedoc-pseudo-page-'));
  const { rules } = pseudoRules(tmp, { dnsbl: path.join(CHECKS_FIXTURES, 'checks-dnsbl.json') });
  return { zoneFile: path.join(CHECKS_FIXTURES, 'checks-zone.json'), args: ['--rules', rules] };
});
const { withPage } = suite;

/** Every word the page shows or announces, with where it stands. */
function pageWords(page) {
  return page.evaluate(() => {
    const out = [];
    const where = (el) => {
      const id = el.id ? `#${el.id}` : '';
      const field = el.getAttribute?.('data-field') ? `[data-field=${el.getAttribute('data-field')}]` : '';
      return `${el.tagName.toLowerCase()}${id}${field}`;
    };
    for (const d of document.querySelectorAll('details')) d.open = true;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      // noscript: the page's words for a browser without JavaScript, never shown here
      if (!el || el.closest('textarea, script, style, noscript, [hidden]')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const t = n.textContent.trim();
      if (t) out.push({ at: where(el), text: t });
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-description]')) {
      if (el.closest('[hidden]')) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
        const v = el.getAttribute(a);
        if (v && v.trim()) out.push({ at: `${where(el)}@${a}`, text: v.trim() });
      }
    }
    out.push({ at: 'title', text: document.title });
    return out;
  });
}

/** The words of an answer that are data, taken out of what the page shows. */
function dataOf(answers, extra) {
  const values = [...extra];
  for (const a of answers) {
    for (const d of strings(a).data) {
      const key = d.at.replace(/\[\d+\]/g, '').split('.').pop();
      values.push(d.text);
      if (!TEXT_KEYS.has(key)) values.push(...d.text.split(/[\s"'()<>,;=@:/]+/));
    }
  }
  // the product's name; the language menu names each language in itself; the example in the
  // empty box is a bounce, written as servers write them; those in the sender form's fields are
  // an address and names
  values.push('bouncedoc', 'English', 'Русский',
    '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com', 'mail.example.com');
  return values.filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
}

function assertNoEnglish(what, shown, answers, extra = []) {
  const data = dataOf(answers, extra);
  const bad = [];
  for (const { at, text } of shown) {
    const words = leftoverWords(text, data);
    if (words.length > 0) bad.push(`${at}: ${words.join(', ')} in ${JSON.stringify(text.slice(0, 160))}`);
  }
  assert.deepEqual(bad, [], `${what}: English on the page in the pseudo-language:\n  ${bad.join('\n  ')}`);
}

async function chooseXx(page) {
  await page.waitForSelector('#lang option[value="xx"]', { state: 'attached' });
  await page.selectOption('#lang', 'xx');
  await page.waitForFunction(() => document.documentElement.lang === 'xx');
}

async function diagnose(page, fill) {
  const answered = page.waitForResponse((r) => API(new URL(r.url())));
  await fill();
  const res = await answered;
  await page.waitForSelector('#results[aria-busy="false"] .result');
  return res.json();
}

test('the page in the pseudo-language: the forms, the answers and every check\'s card show no English', { timeout: TIMEOUT }, async () => {
  try {
    await withPage({}, async (page) => {
      await chooseXx(page);
      assertNoEnglish('the empty form', await pageWords(page), []);

      const spf = await diagnose(page, async () => {
        await page.fill('#bounce', SPF);
        await page.click('#diagnose');
      });
      assert.equal(spf.lang, 'xx');
      assert.ok(spf.checks.spf, 'the SPF check ran');
      const shown = await pageWords(page);
      assert.ok(shown.some((w) => w.text.includes('⟦')), 'the answer is shown in the pseudo-language');
      assertNoEnglish('an SPF refusal', shown, [spf]);

      const dsn = await diagnose(page, async () => {
        await page.setInputFiles('#eml-file', { name: 'bounce.eml', mimeType: 'message/rfc822', buffer: DSN });
      });
      assert.equal(dsn.results.length, 2);
      // the bounce's own text, which the page shows as data, as the server read it
      const raw = await post(suite.server().url, '/api/v1/diagnose?lang=xx&checks=none', DSN,
        { 'Content-Type': 'message/rfc822' });
      assertNoEnglish('a two-recipient DSN', await pageWords(page), [dsn, raw.json], ['bounce.eml']);

      // The live checks' cards: blocklists with a listing and its delisting link, reverse DNS.
      const blocked = await diagnose(page, async () => {
        await page.fill('#bounce', BLOCKED);
        await page.click('#diagnose');
      });
      assert.equal(blocked.checks.dnsbl.listed, true);
      await page.waitForSelector('#checks [data-check="dnsbl"] a[data-field="dnsbl-delist"]');
      await page.waitForSelector('#checks [data-check="ptr"][data-status="checked"]');
      assertNoEnglish('a blocklist refusal', await pageWords(page), [blocked]);

      const unknown = await diagnose(page, async () => {
        await page.fill('#bounce', UNKNOWN);
        await page.click('#diagnose');
      });
      await page.waitForSelector('#checks [data-check="mx"] table');
      assertNoEnglish('an unknown user with the MX card', await pageWords(page), [unknown]);

      const signed = await diagnose(page, async () => {
        await page.setInputFiles('#eml-file', { name: 'signed.eml', mimeType: 'message/rfc822', buffer: SIGNED });
      });
      await page.waitForSelector('#checks [data-check="dkim"][data-status="checked"]');
      await page.waitForSelector('#checks [data-check="dmarc"][data-status="checked"]');
      assertNoEnglish('a signed DMARC refusal', await pageWords(page), [signed], ['signed.eml']);

      const unchecked = await diagnose(page, async () => {
        await page.fill('#bounce', BLOCKED_UNCHECKED);
        await page.click('#diagnose');
      });
      await page.waitForSelector('#checks [data-check="ptr"][data-status="not_checked"]');
      assertNoEnglish('a check that could not be made', await pageWords(page), [unchecked]);

      // "Check a sender": its answer with every card, then a message of the form's own.
      const checked = page.waitForResponse((r) => CHECK(new URL(r.url())));
      await page.fill('#sender-ip', '192.0.2.7');
      await page.fill('#sender-domain', 'example.com');
      await page.fill('#sender-helo', 'mail.example.com');
      await page.click('#sender-submit');
      const sender = await (await checked).json();
      assert.equal(sender.lang, 'xx');
      assert.deepEqual(Object.keys(sender.checks), ['spf', 'dmarc', 'ptr', 'dnsbl', 'mx']);
      await page.waitForSelector('#sender-results[aria-busy="false"] #sender-answer [data-check="mx"]');
      assertNoEnglish('the answer to "check a sender"', await pageWords(page), [unchecked, sender]);
      await page.fill('#sender-ip', '');
      await page.fill('#sender-domain', '');
      await page.click('#sender-submit');
      await page.waitForSelector('#sender-error .error-box');
      assertNoEnglish('a message of the sender form', await pageWords(page), [unchecked]);
    });
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
});
