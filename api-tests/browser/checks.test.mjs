// Browser test of the live checks as cards (checks.ptr, .dnsbl, .mx, .dmarc, .dkim of a diagnosis;
// checks.spf stays in its result card) and of the "check a sender" form (GET /api/v1/check),
// driven through the real server and its fixture DNS server with this test's own zone
// (fixtures/checks-zone.json) and blocklists (fixtures/checks-dnsbl.json: three test zones whose
// health-test entries the zone answers, so that none turns "unhealthy"):
//   192.0.2.7  PTR dsl-192-0-2-7.pool.isp.example (which has no address: not confirmed), listed
//              on bl.test-list.example (127.0.0.2, with a TXT reason)
//   192.0.2.9  its PTR question is never answered: the reverse DNS cannot be checked
//   example.com  SPF "v=spf1 ip4:198.51.100.0/24 -all", DMARC p=reject, two MX (one a CNAME),
//              the DKIM key sel._domainkey (Ed25519, t=y)
//
//   node --test api-tests/browser/checks.test.mjs
//
// Needs build/bouncedoc and build/dns-fixture (started by ../lib/server.mjs), Debian's Chromium
// at /usr/bin/chromium (override with CHROMIUM) and the playwright-core package. Screenshots go
// to /tmp (override with SCREENSHOT_DIR), never into the repository:
//   bouncedoc-checks-dnsbl.png, bouncedoc-checks-ptr.png, bouncedoc-checks-sender.png,
//   bouncedoc-checks-not-checked.png, bouncedoc-checks-ru.png, bouncedoc-checks-dark.png,
//   bouncedoc-checks-360.png, bouncedoc-checks-mocked.png
//
// No fixed sleeps: everything waits on Playwright's auto-waiting, waitForSelector,
// waitForFunction, waitForRequest or waitForResponse; every test has a timeout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserSuite, contrast } from '../lib/browser.mjs';

const SHOTS = process.env.SCREENSHOT_DIR || '/tmp';
const TIMEOUT = 60_000;
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

const BLOCKED = '554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using bl.test-list.example; '
  + 'see https://lookup.test-list.example/?ip=192.0.2.7';
const BLOCKED_UNCHECKED = '554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using bl.test-list.example';
const NO_PTR = '450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.7]';
const SPF = '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com';
const CYRILLIC = /[А-Яа-яЁё]/;
const DIAGNOSE = (url) => url.pathname.endsWith('/api/v1/diagnose');
const CHECK = (url) => url.pathname.endsWith('/api/v1/check');
const isDiagnose = (r) => DIAGNOSE(new URL(r.url()));
const isCheck = (r) => CHECK(new URL(r.url()));

// An authentication refusal whose returned message is DKIM-signed with example.com's key "sel".
const DSN = readFileSync(path.join(FIXTURES, 'dmarc-dkim.eml'));

const { withPage } = browserSuite({
  zoneFile: path.join(FIXTURES, 'checks-zone.json'),
  args: ['--dnsbl-config', path.join(FIXTURES, 'checks-dnsbl.json')],
});

// What a person reads (innerText: the layout's line breaks, nothing hidden), whitespace folded.
const text = async (page, selector) => (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();

async function diagnose(page, fill) {
  const answered = page.waitForResponse(isDiagnose);
  if (typeof fill === 'string') {
    await page.fill('#bounce', fill);
    await page.click('#diagnose');
  } else {
    await fill();
  }
  const res = await answered;
  await page.waitForSelector('#results[aria-busy="false"] .result');
  return res.json();
}

// Fills the "check a sender" form, sends it and waits for the answer on screen; returns the request.
async function checkSender(page, { ip = '', domain = '', helo = '' }) {
  await page.fill('#sender-ip', ip);
  await page.fill('#sender-domain', domain);
  await page.fill('#sender-helo', helo);
  const request = page.waitForRequest(isCheck);
  const answered = page.waitForResponse(isCheck);
  await page.click('#sender-submit');
  const req = await request;
  await answered;
  await page.waitForSelector('#sender-results[aria-busy="false"] #sender-answer');
  return req;
}

// A check's card as data: assertions on it print what the page shows.
function card(page, selector) {
  return page.locator(selector).first().evaluate((sec) => {
    const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
    const q = (sel) => sec.querySelector(sel);
    const txt = (sel) => (q(sel) ? norm(q(sel).innerText) : null);
    const facts = {};
    for (const dd of sec.querySelectorAll(':scope > dl.check-facts > dd[data-field]')) {
      facts[dd.getAttribute('data-field')] = { text: norm(dd.innerText), value: dd.getAttribute('data-value') };
    }
    return {
      check: sec.getAttribute('data-check'),
      status: sec.getAttribute('data-status'),
      cls: sec.className,
      heading: txt('h3'),
      verdict: txt('[data-field="check-verdict"]'),
      verdictValue: q('[data-field="check-verdict"]')?.getAttribute('data-value') ?? null,
      verdictClass: q('[data-field="check-verdict"]')?.className ?? null,
      summary: txt('[data-field="check-summary"]'),
      notChecked: txt('[data-field="check-not-checked"]'),
      facts,
      problems: [...sec.querySelectorAll('[data-field="check-problems"] li')].map((li) => ({
        code: li.getAttribute('data-code'),
        level: li.getAttribute('data-level'),
        levelText: norm(li.querySelector('[data-field="problem-level"]').innerText),
        text: norm(li.querySelector('.problem-text').innerText),
      })),
      text: norm(sec.innerText),
    };
  });
}

// The rows of a card's table: attributes and cell texts (on a wide screen: without the narrow
// screen's cell labels).
function tableRows(page, selector) {
  return page.locator(selector).first().evaluate((table) => [...table.querySelectorAll('tbody tr')].map((tr) => ({
    attrs: Object.fromEntries([...tr.attributes].filter((a) => a.name.startsWith('data-')).map((a) => [a.name.slice(5), a.value])),
    cells: [...tr.children].map((c) => c.innerText.replace(/\s+/g, ' ').trim()),
  })));
}

const heads = (page, selector) => page.locator(`${selector} thead th`).allTextContents();

test('a blocklist refusal: the DNSBL card shows the listing, the list\'s evidence and where to ask for removal', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    const d = await diagnose(page, BLOCKED);
    assert.equal(d.results[0].reason, 'blocked');
    assert.deepEqual(Object.keys(d.checks).sort(), ['dnsbl', 'ptr']);

    // The checks come right after the result cards, before what was found in the bounce.
    const order = await page.evaluate(() => [...document.querySelectorAll('#results > *')].map((n) => n.id || n.className));
    assert.ok(order.indexOf('checks') > order.indexOf('result-0') && order.indexOf('checks') < order.indexOf('entities'), order.join(' '));
    assert.equal(await text(page, '#checks h2'), 'Live checks');

    const c = await card(page, '#checks [data-check="dnsbl"]');
    assert.equal(c.status, 'checked', JSON.stringify(c));
    assert.equal(c.heading, 'DNS blocklists');
    assert.equal(c.verdictValue, 'listed');
    assert.equal(c.verdict, 'Listed on 1 blocklist');
    assert.match(c.verdictClass, /tone-bad/);
    assert.match(c.cls, /check-tone-bad/);
    assert.match(c.summary, /^The receiver's claim holds now: 192\.0\.2\.7 is listed on bl\.test-list\.example\./);
    assert.equal(c.facts['dnsbl-targets'].text, '192.0.2.7');

    // The table: the listing first, with its code, what it means, the list's TXT reason and a link.
    const TABLE = '#checks [data-check="dnsbl"] table[data-field="dnsbl-lists"]';
    assert.deepEqual(await heads(page, TABLE), ['List', 'Answer', 'What the list says', 'Delisting']);
    assert.equal(await text(page, `${TABLE} caption`), 'Blocklists with something to report');
    assert.equal(await page.getByRole('table', { name: 'Blocklists with something to report' }).count(), 1);
    const rows = await tableRows(page, TABLE);
    assert.deepEqual(rows.map((r) => r.attrs), [{ zone: 'bl.test-list.example', status: 'listed', kind: 'ip', named: 'true' }]);
    const [list, answer, says, delist] = rows[0].cells;
    assert.equal(list, 'Test Block List bl.test-list.example named in the bounce');
    assert.equal(answer, 'listed 127.0.0.2');
    assert.equal(says, 'a spam source seen by the test list The list’s reason: Listed since 2024-05-01: spam trap hits, '
      + 'see https://lookup.test-list.example/?ip=192.0.2.7');
    assert.equal(await text(page, `${TABLE} [data-field="dnsbl-txt"] q`), 'Listed since 2024-05-01: spam trap hits, '
      + 'see https://lookup.test-list.example/?ip=192.0.2.7');
    assert.equal(delist, 'Request removal from Test Block List (opens in a new tab)');
    const link = page.locator(`${TABLE} a[data-field="dnsbl-delist"]`);
    assert.equal(await link.getAttribute('href'), 'https://lookup.test-list.example/remove');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await page.locator('#checks [data-check="dnsbl"] a').count(), 1, 'a link for the listing only');
    // The TXT reason is the list's text: a URL in it stays text, never a link.
    assert.equal(await page.locator(`${TABLE} [data-field="dnsbl-txt"] a`).count(), 0);

    // The lists that do not list it, folded away.
    const quiet = page.locator('#checks [data-check="dnsbl"] details[data-field="dnsbl-quiet"]');
    assert.equal(await quiet.getAttribute('open'), null, 'folded');
    assert.equal(await text(page, '#checks [data-check="dnsbl"] [data-field="dnsbl-quiet"] summary'), '2 lists that do not list it');
    assert.deepEqual(await quiet.locator('li').evaluateAll((lis) => lis.map((li) => `${li.dataset.zone} ${li.dataset.status}`)),
      ['clean.test-list.example not_listed', 'dbl.test-list.example not_queried']);

    assert.deepEqual(c.problems.map((p) => `${p.code} ${p.level} ${p.levelText}`), ['dnsbl_listed error Error']);
    assert.match(c.problems[0].text, /listed on Test Block List \(bl\.test-list\.example\), the list the bounce names/);

    // Landmarks and headings: a labelled region per check.
    assert.equal(await page.getByRole('region', { name: 'DNS blocklists' }).count(), 1);
    assert.equal(await page.getByRole('region', { name: 'Reverse DNS of the sending IP' }).count(), 1);
    assert.equal(await page.getByRole('heading', { level: 4, name: 'What the check found' }).count(), 2);
    await page.locator('#checks').screenshot({ path: path.join(SHOTS, 'bouncedoc-checks-dnsbl.png') });
  });
});

test('a reverse-DNS refusal: the PTR card shows the name that does not resolve back', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    const d = await diagnose(page, NO_PTR);
    assert.equal(d.results[0].reason, 'requireptr');
    const c = await card(page, '#checks [data-check="ptr"]');
    assert.equal(c.status, 'checked', JSON.stringify(c));
    assert.equal(c.heading, 'Reverse DNS of the sending IP');
    assert.equal(c.verdictValue, 'not_confirmed');
    assert.equal(c.verdict, 'Not forward-confirmed');
    assert.match(c.verdictClass, /tone-bad/);
    assert.match(c.summary, /^The receiver's complaint holds now: the PTR name of 192\.0\.2\.7, dsl-192-0-2-7\.pool\.isp\.example, does not resolve back to 192\.0\.2\.7/);
    assert.equal(c.facts['ptr-ip'].text, '192.0.2.7');
    assert.equal(c.facts['ptr-reverse'].text, '7.2.0.192.in-addr.arpa');
    assert.equal(c.facts['ptr-reserved'].text, '192.0.2.0/24');
    assert.equal(c.facts['ptr-names'].text, 'dsl-192-0-2-7.pool.isp.example does not resolve back to 192.0.2.7');
    assert.equal(await page.getAttribute('#checks [data-field="ptr-names"] li', 'data-confirmed'), 'false');
    assert.deepEqual(c.facts['ptr-fcrdns'], { text: 'no', value: 'false' });
    assert.equal(c.facts['ptr-generic'].value, 'dynamic');
    assert.match(c.facts['ptr-generic'].text, /^yes it looks like the name of a dynamic or residential address pool/);
    assert.equal(c.facts['ptr-helo'], undefined, 'no HELO name in this bounce');
    assert.deepEqual(c.problems.map((p) => `${p.code} ${p.level}`),
      ['ptr_not_confirmed error', 'ptr_generic error', 'ptr_reserved_ip info']);
    assert.deepEqual(c.problems.map((p) => p.levelText), ['Error', 'Error', 'Note']);
    await page.locator('#checks').screenshot({ path: path.join(SHOTS, 'bouncedoc-checks-ptr.png') });
  });
});

test('an SPF refusal keeps its evidence in the result card; DMARC and the DKIM key are cards of their own', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    await diagnose(page, SPF);
    const spf = '.result [data-field="spf"]';
    assert.equal(await page.getAttribute(spf, 'data-result'), 'fail');
    assert.equal(await page.getAttribute(spf, 'data-check'), 'spf');
    assert.equal(await text(page, `${spf} [data-field="spf-result"]`), 'SPF: fail');
    assert.equal(await text(page, `${spf} mark[data-field="spf-decisive"]`), '-all');
    assert.equal(await text(page, `${spf} [data-field="spf-record"]`), 'v=spf1 ip4:198.51.100.0/24 -all');
    assert.match(await text(page, `${spf} [data-field="spf-summary"]`), /^The receiver's verdict holds now: the SPF record of example\.com does not allow 192\.0\.2\.7 \(fail\)\.$/);
    assert.equal(await page.locator('#checks [data-check="spf"]').count(), 0, 'SPF is not repeated');

    const dmarc = await card(page, '#checks [data-check="dmarc"]');
    assert.equal(dmarc.verdict, 'Policy: reject', JSON.stringify(dmarc));
    assert.equal(dmarc.verdictValue, 'reject');
    assert.match(dmarc.summary, /^example\.com publishes a DMARC policy of reject/);
    assert.equal(dmarc.facts['dmarc-domain'].text, 'example.com');
    assert.equal(dmarc.facts['dmarc-found-at'].text, '_dmarc.example.com');
    assert.equal(dmarc.facts['dmarc-record'].text, 'v=DMARC1; p=reject; sp=quarantine; adkim=s; rua=mailto:dmarc@example.com');
    assert.deepEqual(dmarc.facts['dmarc-policy'], { text: 'reject mail that fails is refused', value: 'reject' });
    assert.deepEqual(dmarc.facts['dmarc-subdomain-policy'], { text: 'quarantine mail that fails goes to the spam folder', value: 'quarantine' });
    assert.equal(dmarc.facts['dmarc-effective-policy'].value, 'reject');
    assert.match(dmarc.facts['dmarc-alignment'].text, /^DKIM \(adkim\): s strict: the very same domain name SPF \(aspf\): r relaxed/);
    assert.equal(dmarc.facts['dmarc-rua'].text, 'mailto:dmarc@example.com');
    assert.ok(dmarc.problems.some((p) => p.code === 'dmarc_sp_weaker' && p.levelText === 'Warning'), JSON.stringify(dmarc.problems));

    // A DSN whose returned message is signed: the key its signature names.
    await diagnose(page, async () => {
      await page.setInputFiles('#eml-file', { name: 'dmarc.eml', mimeType: 'message/rfc822', buffer: DSN });
    });
    const dkim = await card(page, '#checks [data-check="dkim"]');
    assert.equal(dkim.heading, 'DKIM key of the signature', JSON.stringify(dkim));
    assert.equal(dkim.verdict, 'Key published');
    assert.match(dkim.verdictClass, /tone-warn/, 'test mode is a warning');
    assert.match(dkim.summary, /^The DKIM key sel\._domainkey\.example\.com is published and usable now/);
    assert.equal(dkim.facts['dkim-name'].text, 'sel._domainkey.example.com');
    assert.deepEqual(dkim.facts['dkim-key-type'], { text: 'ed25519', value: 'ed25519' });
    assert.deepEqual(dkim.facts['dkim-key-bits'], { text: '256 bits', value: '256' });
    assert.deepEqual(dkim.facts['dkim-revoked'], { text: 'no', value: 'false' });
    assert.deepEqual(dkim.facts['dkim-testing'], { text: 'yes', value: 'true' });
    assert.deepEqual(dkim.problems.map((p) => `${p.code} ${p.level}`), ['dkim_testing warning']);
    assert.equal(await page.locator('.result [data-field="spf"][data-result="fail"]').count(), 1);
  });
});

test('check a sender: the form asks GET /api/v1/check and shows every check as a card', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    // Found by their visible labels; the HELO name is optional.
    assert.equal(await page.getByRole('heading', { level: 2, name: 'Check a sender' }).count(), 1);
    assert.equal(await page.getByRole('region', { name: 'Check a sender' }).count(), 1);
    assert.equal(await page.getByLabel('Sending IP address', { exact: true }).getAttribute('id'), 'sender-ip');
    assert.equal(await page.getByLabel('Sender’s domain', { exact: true }).getAttribute('id'), 'sender-domain');
    assert.equal(await page.getByLabel('HELO name (optional)', { exact: true }).getAttribute('id'), 'sender-helo');
    assert.equal(await text(page, '#sender-submit'), 'Check');
    assert.equal(await page.getAttribute('#sender-error', 'role'), 'alert');
    assert.equal(await page.getAttribute('#sender-results', 'aria-live'), 'polite');

    // Pasted as bounces write them: "[192.0.2.7]", an address for the domain.
    const req = await checkSender(page, { ip: '[192.0.2.7]', domain: 'postmaster@example.com', helo: 'mail.example.com' });
    const url = new URL(req.url());
    assert.equal(req.method(), 'GET');
    assert.deepEqual(Object.fromEntries(url.searchParams), { ip: '192.0.2.7', domain: 'example.com', helo: 'mail.example.com', lang: 'en' });
    assert.equal(await page.getAttribute('#sender-results', 'data-lang'), 'en');
    assert.equal(await text(page, '#sender-answer h2'), 'What DNS says now');
    assert.equal(await text(page, '#sender-answer [data-field="sender-asked"]'),
      'Sending IP address 192.0.2.7 Sender’s domain example.com HELO name mail.example.com');
    assert.deepEqual(await page.locator('#sender-answer [data-check]').evaluateAll((s) => s.map((n) => n.dataset.check)),
      ['spf', 'dmarc', 'ptr', 'dnsbl', 'mx']);
    // No bounce: no claim to weigh, so no summaries; the badges say what DNS shows.
    assert.equal(await page.locator('#sender-answer [data-field="check-summary"], #sender-answer [data-field="spf-summary"]').count(), 0);
    assert.equal(await page.getAttribute('#sender-answer [data-check="spf"]', 'data-result'), 'fail');
    assert.equal(await text(page, '#sender-answer [data-check="spf"] [data-field="spf-fix-added"]'), 'Added: ip4:192.0.2.7');

    const ptr = await card(page, '#sender-answer [data-check="ptr"]');
    assert.equal(ptr.verdict, 'Not forward-confirmed');
    assert.equal(ptr.facts['ptr-helo'].value, 'mail.example.com');
    assert.equal(ptr.facts['ptr-helo'].text, 'mail.example.com Fully qualified name: yes Same as the PTR name: no Resolves to 192.0.2.7: no');
    assert.ok(ptr.problems.some((p) => p.code === 'ptr_helo_mismatch'), JSON.stringify(ptr.problems));

    const dnsbl = await card(page, '#sender-answer [data-check="dnsbl"]');
    assert.equal(dnsbl.verdict, 'Listed on 1 blocklist');
    assert.equal(dnsbl.facts['dnsbl-targets'].text, '192.0.2.7 example.com');
    const lists = await tableRows(page, '#sender-answer [data-check="dnsbl"] table');
    assert.deepEqual(lists.map((r) => `${r.attrs.zone} ${r.attrs.status}`), ['bl.test-list.example listed']);
    assert.match(lists[0].cells[0], /^Test Block List bl\.test-list\.example for 192\.0\.2\.7$/, 'two targets: which one');

    const mx = await card(page, '#sender-answer [data-check="mx"]');
    assert.equal(mx.verdict, '2 mail servers');
    assert.match(mx.verdictClass, /tone-warn/, 'an MX that is a CNAME is a warning');
    const TABLE = '#sender-answer [data-check="mx"] table[data-field="mx-exchanges"]';
    assert.deepEqual(await heads(page, TABLE), ['Mail server', 'Preference', 'Status', 'Addresses']);
    assert.deepEqual(await tableRows(page, TABLE), [
      { attrs: { host: 'mx1.example.com', preference: '10', status: 'resolved' }, cells: ['mx1.example.com', '10', 'resolves', '192.0.2.25'] },
      { attrs: { host: 'mx2.example.com', preference: '20', status: 'cname' },
        cells: ['mx2.example.com', '20', 'an alias (CNAME) points to mx1.example.com', '192.0.2.25'] },
    ]);
    await page.locator('#sender-answer').screenshot({ path: path.join(SHOTS, 'bouncedoc-checks-sender.png') });

    // Enter in a field sends the form; a domain alone runs the checks of a domain.
    await page.fill('#sender-ip', '');
    await page.fill('#sender-helo', '');
    await page.fill('#sender-domain', 'example.com');
    const again = page.waitForRequest(isCheck);
    await page.press('#sender-domain', 'Enter');
    assert.deepEqual(Object.fromEntries(new URL((await again).url()).searchParams), { domain: 'example.com', lang: 'en' });
    await page.waitForFunction(() => document.querySelector('#sender-answer [data-field="sender-ip"]') === null
      && document.querySelector('#sender-results').getAttribute('aria-busy') === 'false');
    assert.equal(await page.locator('#sender-answer [data-check="ptr"]').count(), 0, 'no IP, no reverse DNS');

    // Checked lightly on the page: nothing given, an IP that is none; no request is made.
    let asked = 0;
    page.on('request', (r) => { if (isCheck(r)) asked += 1; });
    await page.fill('#sender-domain', '');
    await page.click('#sender-submit');
    await page.waitForSelector('#sender-error .error-box');
    assert.equal(await text(page, '#sender-error'), 'Enter the sending IP address, the sender’s domain or both.');
    assert.equal(await page.getAttribute('#sender-ip', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#sender-domain', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'sender-ip');
    assert.equal(await page.locator('#sender-answer').count(), 0);
    await page.fill('#sender-ip', '192.0.2.300');
    assert.equal(await text(page, '#sender-error'), '', 'typing clears the message');
    assert.equal(await page.getAttribute('#sender-ip', 'aria-invalid'), null);
    await page.click('#sender-submit');
    await page.waitForSelector('#sender-error .error-box');
    assert.equal(await text(page, '#sender-error'), 'That is not an IPv4 or IPv6 address (such as 192.0.2.7).');
    assert.equal(asked, 0, 'no request for what the page can tell is wrong');

    // What only the server can tell: its 400 problem's detail in the alert.
    await page.fill('#sender-ip', '192.0.2.7');
    await page.fill('#sender-domain', `${'a'.repeat(64)}.example`);
    const refused = page.waitForResponse(isCheck);
    await page.click('#sender-submit');
    assert.equal((await refused).status(), 400);
    await page.waitForSelector('#sender-error [data-field="error-detail"]');
    assert.match(await text(page, '#sender-error'), /^The service could not check this: domain must be a domain name/);
    await page.waitForSelector('#sender-submit:not([disabled])');
    assert.equal(await text(page, '#error'), '', 'the diagnosis alert is not involved');

    // The two forms do not disturb each other.
    await diagnose(page, BLOCKED);
    assert.equal(await page.locator('#sender-error .error-box').count(), 1);
    assert.equal(await page.locator('#results #checks [data-check="dnsbl"]').count(), 1);
  });
});

test('a check that could not be made says "not checked" and why, in grey, never as a problem', { timeout: TIMEOUT }, async () => {
  await withPage({}, async (page) => {
    const d = await diagnose(page, BLOCKED_UNCHECKED);
    assert.equal(d.checks.ptr.status, 'not_checked');
    const c = await card(page, '#checks [data-check="ptr"]');
    assert.equal(c.status, 'not_checked', JSON.stringify(c));
    assert.equal(c.verdictValue, 'not_checked');
    assert.equal(c.verdict, 'Not checked');
    assert.match(c.verdictClass, /tone-off/);
    assert.match(c.cls, /check-tone-off/);
    assert.doesNotMatch(c.cls + c.verdictClass, /tone-(bad|warn)/);
    assert.equal(c.notChecked, 'Why it could not be checked: a DNS server did not answer in time');
    assert.match(c.text, /That is no problem of the domain or the address: it says nothing about them either way\./);
    assert.match(c.text, /Diagnose again later to retry the check\./);
    assert.deepEqual(c.problems, [], 'not a problem');
    assert.equal(await page.locator('#checks [data-check="ptr"] [data-level], #checks [data-check="ptr"] h4').count(), 0);
    assert.deepEqual(Object.keys(c.facts), ['ptr-ip'], 'only what was asked about');
    // Grey, not the red of a finding.
    const look = await page.locator('#checks [data-check="ptr"]').evaluate((sec) => ({
      edge: getComputedStyle(sec).borderLeftColor,
      style: getComputedStyle(sec).borderLeftStyle,
      badge: getComputedStyle(sec.querySelector('[data-field="check-verdict"]')).backgroundColor,
    }));
    const colour = (name) => page.evaluate((n) => {
      const probe = document.createElement('span');
      probe.style.color = `var(${n})`;
      document.body.appendChild(probe);
      const c2 = getComputedStyle(probe).color;
      probe.remove();
      return c2;
    }, name);
    assert.equal(look.edge, await colour('--off-border'));
    assert.equal(look.style, 'dashed');
    assert.equal(look.badge, await colour('--off-bg'));

    // The blocklists could be asked: the bounce's claim does not hold now.
    const dnsbl = await card(page, '#checks [data-check="dnsbl"]');
    assert.equal(dnsbl.verdict, 'Not listed');
    assert.match(dnsbl.verdictClass, /tone-ok/);
    assert.match(dnsbl.summary, /192\.0\.2\.9 is not listed there now/);
    await page.locator('#checks').screenshot({ path: path.join(SHOTS, 'bouncedoc-checks-not-checked.png') });

    // The same from "check a sender", which asks to check again, not to diagnose again.
    await checkSender(page, { ip: '192.0.2.9' });
    const s = await card(page, '#sender-answer [data-check="ptr"]');
    assert.equal(s.verdict, 'Not checked');
    assert.match(s.text, /Check again later to retry it\./);
    assert.doesNotMatch(s.text, /Diagnose/);
    assert.deepEqual(s.problems, []);
  });
});

test('the checks and the sender form in Russian', { timeout: TIMEOUT }, async () => {
  await withPage({ locale: 'ru-RU' }, async (page) => {
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    const d = await diagnose(page, BLOCKED);
    assert.equal(d.lang, 'ru');
    assert.equal(await text(page, '#checks h2'), 'Проверки в реальном времени');
    const c = await card(page, '#checks [data-check="dnsbl"]');
    assert.equal(c.heading, 'Чёрные списки DNS');
    assert.equal(c.verdict, 'В 1 чёрном списке');
    assert.match(c.summary, CYRILLIC);
    assert.equal(c.facts['dnsbl-targets'].text, '192.0.2.7');
    assert.deepEqual(c.problems.map((p) => p.levelText), ['Ошибка']);
    const TABLE = '#checks [data-check="dnsbl"] table';
    assert.deepEqual(await heads(page, TABLE), ['Список', 'Ответ', 'Что сообщает список', 'Исключение из списка']);
    const [row] = await tableRows(page, TABLE);
    assert.equal(row.cells[0], 'Test Block List bl.test-list.example назван в отказе');
    assert.match(row.cells[1], /^в списке 127\.0\.0\.2$/);
    assert.match(row.cells[2], /Причина от списка: Listed since 2024-05-01/);
    assert.equal(row.cells[3], 'Запросить исключение из Test Block List (откроется в новой вкладке)');
    // The test list's own meaning has no translation: it is marked as English for screen readers.
    assert.equal(await page.getAttribute(`${TABLE} [data-field="dnsbl-meaning"]`, 'lang'), 'en');
    assert.equal(await text(page, '#checks [data-field="dnsbl-quiet"] summary'), '2 списка, в которых записи нет');
    const ptr = await card(page, '#checks [data-check="ptr"]');
    assert.equal(ptr.heading, 'Обратная зона отправляющего IP');
    assert.equal(ptr.verdict, 'Не подтверждено прямой зоной');

    // The sender form.
    assert.equal(await text(page, '#sender-title'), 'Проверить отправителя');
    assert.equal(await page.getByLabel('IP-адрес отправителя', { exact: true }).getAttribute('id'), 'sender-ip');
    assert.equal(await page.getByLabel('Домен отправителя', { exact: true }).getAttribute('id'), 'sender-domain');
    assert.equal(await page.getByLabel('Имя HELO (необязательно)', { exact: true }).getAttribute('id'), 'sender-helo');
    const req = await checkSender(page, { ip: '192.0.2.7', domain: 'example.com' });
    assert.equal(new URL(req.url()).searchParams.get('lang'), 'ru');
    assert.equal(await page.getAttribute('#sender-results', 'data-lang'), 'ru');
    assert.equal(await text(page, '#sender-answer h2'), 'Что DNS показывает сейчас');
    const mx = await card(page, '#sender-answer [data-check="mx"]');
    assert.equal(mx.heading, 'Почтовые серверы домена (MX)');
    assert.equal(mx.verdict, '2 почтовых сервера');
    assert.deepEqual(await heads(page, '#sender-answer [data-check="mx"] table'), ['Почтовый сервер', 'Приоритет', 'Состояние', 'Адреса']);
    const dmarc = await card(page, '#sender-answer [data-check="dmarc"]');
    assert.equal(dmarc.verdict, 'Политика: reject');
    assert.match(dmarc.facts['dmarc-policy'].text, /^reject не прошедшая проверку почта отклоняется$/);
    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-checks-ru.png'), fullPage: true });

    // Both answers are asked again in the new language.
    await page.selectOption('#lang', 'en');
    await page.waitForSelector('#results[data-lang="en"][aria-busy="false"] #checks [data-check="dnsbl"]');
    await page.waitForSelector('#sender-results[data-lang="en"][aria-busy="false"] #sender-answer');
    assert.equal((await card(page, '#checks [data-check="dnsbl"]')).verdict, 'Listed on 1 blocklist');
    assert.equal((await card(page, '#sender-answer [data-check="mx"]')).verdict, '2 mail servers');
    assert.equal(await text(page, '#sender-submit'), 'Check');

    // A message in the sender's alert is translated too.
    await page.fill('#sender-ip', 'nonsense');
    await page.click('#sender-submit');
    await page.waitForSelector('#sender-error .error-box');
    await page.selectOption('#lang', 'ru');
    await page.waitForFunction(() => /IPv4/.test(document.querySelector('#sender-error').textContent)
      && /[А-Яа-я]/.test(document.querySelector('#sender-error').textContent));
  });
});

test('answers the fixture cannot give: hostile strings stay text, a link only for an http(s) delisting URL', { timeout: TIMEOUT }, async () => {
  const evil = (s) => `<img src=x onerror="window.__pwned='${s}'"><script>window.__pwned='s'</script><b>${s}</b>`;
  const list = (zone, delist, extra = {}) => ({
    zone, name: evil(`name-${zone}`), kind: 'ip', target: '192.0.2.7', status: 'listed', codes: ['127.0.0.2'],
    meaning: evil('meaning'), txt: evil('txt'), detail: null, note: evil('note'), health: 'healthy', named: false,
    delist, ...extra,
  });
  const answer = {
    lang: 'en',
    checks: {
      dnsbl: {
        status: 'checked', summary: evil('summary'), listed: true, allowlisted: false,
        lists: [
          list('a.example', 'javascript:window.__pwned=1'),
          list('b.example', 'data:text/html,<b>x</b>'),
          list('c.example', ' https://spaced.example/'),
          list('d.example', 'https://ok.example/remove?ip=192.0.2.7&x="y"'),
          list('e.example', 'http://plain.example/'),
          list('f.example', 'https://not-listed.example/', { status: 'not_listed', codes: [] }),
          list('g.example', 'https://allow.example/', { kind: 'allow' }),
          list('h.example', null, { status: 'timeout', codes: [], detail: evil('detail') }),
        ],
        problems: [{ code: evil('code'), level: 'error', text: evil('problem') },
          { code: 'x', level: evil('level'), text: 'odd level' }],
      },
      mx: {
        status: 'checked', summary: null, domain: 'example.com', null_mx: false, implicit: false,
        mx: [{ preference: 10, host: evil('host'), status: 'not_checked', alias_of: null, addresses: [], addresses_omitted: 0,
          not_checked_reason: evil('reason') },
        { preference: 20, host: 'mx.example.com', status: 'resolved', alias_of: null, addresses: ['192.0.2.1'],
          addresses_omitted: 7, not_checked_reason: null }],
        omitted: 3, problems: [],
      },
      dmarc: { status: 'not_checked', not_checked_reason: evil('dmarc-reason') },
      future_check: { status: 'checked', summary: evil('future'), problems: [{ code: 'f', level: 'info', text: 'a finding' }] },
    },
  };
  await withPage({}, async (page) => {
    await page.route(CHECK, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) }));
    await checkSender(page, { ip: '192.0.2.7', domain: 'example.com' });
    assert.equal(await page.locator('#sender-results img, #sender-results script, #sender-results b').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    const hrefs = await page.locator('#sender-answer a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('rel')]));
    assert.deepEqual(hrefs, [
      ['https://ok.example/remove?ip=192.0.2.7&x=%22y%22', 'noopener noreferrer'],
      ['http://plain.example/', 'noopener noreferrer'],
    ], 'links for listings with an http(s) URL only');
    const dnsbl = await card(page, '#sender-answer [data-check="dnsbl"]');
    assert.equal(dnsbl.summary, evil('summary'));
    assert.ok(dnsbl.text.includes(evil('txt')) && dnsbl.text.includes(evil('note')) && dnsbl.text.includes(evil('detail')));
    assert.deepEqual(dnsbl.problems.map((p) => p.levelText), ['Error', evil('level')]);
    // Listings first; an allow list's listing is good news (green), a timeout grey.
    const rows = await tableRows(page, '#sender-answer [data-check="dnsbl"] table');
    assert.deepEqual(rows.map((r) => r.attrs.zone), ['a.example', 'b.example', 'c.example', 'd.example', 'e.example', 'g.example', 'h.example']);
    assert.match(await page.locator('#sender-answer tr[data-zone="g.example"] [data-field="dnsbl-status"]').getAttribute('class'), /tone-ok/);
    assert.match(await page.locator('#sender-answer tr[data-zone="h.example"] [data-field="dnsbl-status"]').getAttribute('class'), /tone-off/);
    assert.equal(await text(page, '#sender-answer [data-field="dnsbl-quiet"] summary'), '1 list that does not list it');

    // An exchange that could not be checked is grey with its reason, not a problem.
    const mx = await tableRows(page, '#sender-answer [data-check="mx"] table');
    assert.deepEqual(mx.map((r) => r.cells), [
      [evil('host'), '10', `not checked ${evil('reason')}`, '—'],
      ['mx.example.com', '20', 'resolves', '192.0.2.1 and 7 more'],
    ]);
    assert.match(await page.locator('#sender-answer tr[data-preference="10"] [data-field="mx-status"]').getAttribute('class'), /tone-off/);
    assert.equal(await text(page, '#sender-answer [data-field="mx-omitted"]'), '3 more MX records were not looked up.');
    assert.equal((await card(page, '#sender-answer [data-check="mx"]')).verdict, '5 mail servers');

    // A check that was not started: its status and why, nothing else.
    const dmarc = await card(page, '#sender-answer [data-check="dmarc"]');
    assert.equal(dmarc.verdict, 'Not checked');
    assert.equal(dmarc.notChecked, `Why it could not be checked: ${evil('dmarc-reason')}`);
    assert.deepEqual(dmarc.facts, {});

    // A check the page has no view for: its name, summary and findings.
    const future = await card(page, '#sender-answer [data-check="future_check"]');
    assert.equal(future.heading, 'future_check');
    assert.equal(future.summary, evil('future'));
    assert.deepEqual(future.problems.map((p) => `${p.code} ${p.levelText} ${p.text}`), ['f Note a finding']);
    await page.locator('#sender-answer').screenshot({ path: path.join(SHOTS, 'bouncedoc-checks-mocked.png') });

    // A 200 answer that is not a CheckSet.
    await page.unroute(CHECK);
    await page.route(CHECK, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"checks": []}' }));
    await page.click('#sender-submit');
    await page.waitForSelector('#sender-error:has-text("does not understand")');
    assert.equal(await page.locator('#sender-answer').count(), 0);
  });
});

for (const colorScheme of ['light', 'dark']) {
  test(`the check cards and the sender form have enough contrast (${colorScheme})`, { timeout: TIMEOUT }, async () => {
    await withPage({ colorScheme }, async (page) => {
      await diagnose(page, BLOCKED);
      await checkSender(page, { ip: '192.0.2.9', domain: 'example.com', helo: 'mail.example.com' });
      await page.locator('details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
      for (const selector of [
        '#checks h2', '#checks .checks-lead', '.check h3', '.check-badge.tone-bad', '.check-badge.tone-off',
        '.check-badge.tone-warn', '.check-badge.tone-ok', '[data-field="check-summary"]', '.check-facts dt', '.check-facts dd code',
        '.check h4', '.level-error', '.level-warning', '.level-info', '.problem-text', 'table.data-table caption',
        'table.data-table thead th', '.pill-small.tone-bad', '.pill-small.tone-ok', '.pill-small.tone-off',
        '.pill-small.tone-info', '.pill-small.tone-warn', '[data-field="dnsbl-txt"] .k', '[data-field="dnsbl-txt"] q',
        'a[data-field="dnsbl-delist"]', '.cell-note', '[data-field="dnsbl-quiet"] summary', '[data-field="check-not-checked"]',
        '[data-field="check-not-checked"] .k', '.check-retry', '#sender h2', '#sender .help', 'label[for="sender-ip"]',
        '#sender-ip', '#sender-submit', '.optional', '.sender-asked dt', '#sender-answer h2',
      ]) {
        assert.ok(await page.locator(selector).count() > 0, `${selector} is on the page`);
        const ratio = await contrast(page, selector);
        assert.ok(ratio >= 4.5, `${selector}: contrast ${ratio.toFixed(2)} < 4.5`);
      }
      if (colorScheme === 'dark') await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-checks-dark.png'), fullPage: true });
    });
  });
}

test('the cards, their tables and the sender form fit a 360px-wide phone', { timeout: TIMEOUT }, async () => {
  await withPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    await diagnose(page, BLOCKED);
    await checkSender(page, { ip: '192.0.2.7', domain: 'example.com', helo: 'mail.example.com' });
    await page.locator('details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    assert.ok(await width() <= 360, `the page is ${await width()}px wide`);
    // Nothing sticks out of its card; a table's rows stack with each cell under its label.
    const overflow = await page.evaluate(() => [...document.querySelectorAll('.check')].flatMap((sec) => {
      const box = sec.getBoundingClientRect();
      return [...sec.querySelectorAll('*')].filter((n) => {
        const r = n.getBoundingClientRect();
        return r.width > 0 && (r.right > box.right + 0.5 || r.left < box.left - 0.5);
      }).map((n) => `${sec.dataset.check}: ${n.tagName}.${n.className}`);
    }));
    assert.deepEqual(overflow, []);
    const label = page.locator('#sender-answer [data-check="mx"] tbody td.col-status .cell-label').first();
    assert.ok(await label.isVisible(), 'the cell label shows on a phone');
    assert.equal(await label.textContent(), 'Status');
    const head = await page.locator('#sender-answer [data-check="mx"] thead').boundingBox();
    assert.ok(!head || head.height <= 1, `the column heads are for screen readers only: ${JSON.stringify(head)}`);
    // The three fields one under the other, the button full width.
    const boxes = await page.evaluate(() => ['#sender-ip', '#sender-domain', '#sender-helo', '#sender-submit']
      .map((s) => document.querySelector(s).getBoundingClientRect()).map((r) => ({ top: r.top, width: r.width })));
    assert.ok(boxes[0].top < boxes[1].top && boxes[1].top < boxes[2].top, JSON.stringify(boxes));
    assert.ok(boxes.every((b) => b.width > 250), JSON.stringify(boxes));
    await page.screenshot({ path: path.join(SHOTS, 'bouncedoc-checks-360.png'), fullPage: true });
  });
});
