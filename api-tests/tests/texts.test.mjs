// GET /api/v1/languages and GET /api/v1/texts: the languages the service answers in and the
// web page's texts (the catalog's "page.*" ids) in each, with ETags; and the page itself
// naming only texts the catalog has.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertProblem, checkResponse, diagnose, get, repoRoot, request, startServer,
} from '../lib/server.mjs';

const LANGUAGES = '/api/v1/languages';
const TEXTS = '/api/v1/texts';
const CYRILLIC = /\p{Script=Cyrillic}/u;
const FORMS = { en: ['one', 'other'], ru: ['one', 'few', 'many'] };

const readJson = (...p) => JSON.parse(readFileSync(path.join(repoRoot, ...p), 'utf8'));
const messages = readJson('rules', 'messages.json');
const russian = readJson('rules', 'lang', 'ru.json');
const pageIds = Object.keys(messages).filter((id) => id.startsWith('page.'));
// "page.KEY.FORM" of a plural family (English has "page.KEY.other") -> "page.KEY"
const familyOf = (id) => {
  const m = id.match(/^(.*)\.(one|two|few|many|other|zero)$/);
  return m && Object.hasOwn(messages, `${m[1]}.other`) ? m[1] : null;
};
const families = [...new Set(pageIds.map(familyOf).filter(Boolean))];
const names = (s) => [...new Set(s.match(/\{\w+(\|[^}]*)?\}/g) ?? [])].map((n) => n.replace(/[{}]|\|.*$/g, '')).sort();

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server && !server.exitStatus()) await server.stop().catch(() => {}); });

async function texts(lang, headers = {}) {
  const res = await get(server.url, lang === undefined ? TEXTS : `${TEXTS}?lang=${lang}`, headers);
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.mediaType, 'application/json', res.describe());
  checkResponse(res);
  return res;
}

test('GET /api/v1/languages: English and every translation file, each named in itself', async () => {
  const res = await get(server.url, LANGUAGES);
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.mediaType, 'application/json', res.describe());
  checkResponse(res);
  assert.deepEqual(res.json, {
    languages: [{ code: 'en', name: 'English' }, { code: 'ru', name: 'Русский' }],
    default: 'en',
  });
  const files = readdirSync(path.join(repoRoot, 'rules', 'lang')).filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));
  const codes = res.json.languages.map((l) => l.code);
  for (const code of files) assert.ok(codes.includes(code), `rules/lang/${code}.json is not served: ${codes}`);
  assert.equal(messages['language.name'], 'English');
  assert.equal(russian['language.name'], 'Русский');
});

test('GET /api/v1/languages: ETag, Cache-Control, and 304 for If-None-Match', async () => {
  const res = await get(server.url, LANGUAGES);
  const etag = res.headers.etag;
  assert.match(etag ?? '', /^"[^"]+"$/, `ETag: ${etag}`);
  assert.equal(res.headers['cache-control'], 'no-cache');
  assert.equal((await get(server.url, LANGUAGES)).headers.etag, etag, 'the ETag is stable');
  const cached = await get(server.url, LANGUAGES, { 'If-None-Match': etag });
  assert.equal(cached.status, 304, cached.describe());
  assert.equal(cached.body.length, 0, '304 with a body');
  assert.equal(cached.headers.etag, etag, '304 must repeat the ETag');
  checkResponse(cached);
  const other = await get(server.url, LANGUAGES, { 'If-None-Match': '"not-it"' });
  assert.equal(other.status, 200, other.describe());
});

test('GET /api/v1/texts?lang=en: every page.* message of rules/messages.json, as written', async () => {
  const res = await texts('en');
  assert.equal(res.headers['content-language'], 'en');
  assert.equal(res.json.lang, 'en');
  const want = Object.fromEntries(pageIds.map((id) => [id, messages[id]]));
  assert.deepEqual(res.json.texts, want);
  assert.ok(pageIds.length > 100, `only ${pageIds.length} page texts`);
  assert.equal(res.json.texts['page.heading'], 'Why did my email bounce?');
});

test('GET /api/v1/texts?lang=ru: the Russian texts, English where one is missing', async () => {
  const res = await texts('ru');
  assert.equal(res.headers['content-language'], 'ru');
  assert.equal(res.json.lang, 'ru');
  const got = res.json.texts;
  assert.equal(got['page.heading'], 'Почему письмо вернулось?');
  for (const id of pageIds) {
    if (familyOf(id)) continue;
    assert.equal(got[id], russian[id] ?? messages[id], id);
    assert.deepEqual(names(got[id]), names(messages[id]), `${id}: the placeholders of the English text`);
  }
  const plain = Object.keys(got).filter((id) => !familyOf(id) && !families.some((f) => id.startsWith(`${f}.`)));
  assert.deepEqual(plain.sort(), pageIds.filter((id) => !familyOf(id)).sort(), 'the same ids as English');
  assert.ok(Object.values(got).filter((s) => CYRILLIC.test(s)).length > pageIds.length * 0.9,
    'nearly every text is Russian');
});

test('plural families come with the forms each language tells apart', async () => {
  assert.ok(families.includes('page.deliveries'), `families: ${families}`);
  for (const lang of ['en', 'ru']) {
    const got = (await texts(lang)).json.texts;
    for (const fam of families) {
      const forms = Object.keys(got).filter((id) => id.startsWith(`${fam}.`)).map((id) => id.slice(fam.length + 1));
      assert.deepEqual(forms.sort(), [...FORMS[lang]].sort(), `${lang} ${fam}`);
      for (const f of forms) {
        assert.deepEqual(names(got[`${fam}.${f}`]), names(messages[`${fam}.other`]), `${lang} ${fam}.${f}: placeholders`);
      }
    }
  }
  const ru = (await texts('ru')).json.texts;
  assert.deepEqual([ru['page.deliveries.one'], ru['page.deliveries.few'], ru['page.deliveries.many']],
    ['неудачная доставка', 'неудачные доставки', 'неудачных доставок']);
  const en = (await texts('en')).json.texts;
  assert.deepEqual([en['page.deliveries.one'], en['page.deliveries.other']], ['failed delivery', 'failed deliveries']);
});

test('the language comes from lang, else Accept-Language, else English', async () => {
  const cases = [
    [undefined, {}, 'en'],
    [undefined, { 'Accept-Language': 'ru' }, 'ru'],
    [undefined, { 'Accept-Language': 'de-DE, ru;q=0.8, en;q=0.5' }, 'ru'],
    [undefined, { 'Accept-Language': 'de, fr' }, 'en'],
    ['en', { 'Accept-Language': 'ru' }, 'en'],
    ['ru-RU', {}, 'ru'],
    ['RU', {}, 'ru'],
  ];
  for (const [lang, headers, want] of cases) {
    const res = await texts(lang, headers);
    const what = `lang=${lang} ${JSON.stringify(headers)}`;
    assert.equal(res.json.lang, want, what);
    assert.equal(res.headers['content-language'], want, what);
    assert.match(res.headers.vary ?? '', /accept-language/i, `${what}: Vary`);
  }
});

test('an unknown lang is a 400 invalid-parameter problem, as for a diagnosis', async () => {
  for (const lang of ['xx', 'de', '', 'english']) {
    const res = await get(server.url, `${TEXTS}?lang=${lang}`);
    assertProblem(res, 400, 'invalid-parameter');
    const d = await diagnose(server.url, '550 5.1.1 user unknown', { query: `checks=none&lang=${lang}` });
    assertProblem(d, 400, 'invalid-parameter');
    assert.equal(res.json.detail, d.json.detail, `lang=${lang}: the same detail`);
  }
});

test('GET /api/v1/texts: an ETag per language, 304 for If-None-Match', async () => {
  const en = await texts('en');
  const ru = await texts('ru');
  const byHeader = await texts(undefined, { 'Accept-Language': 'ru' });
  assert.match(en.headers.etag ?? '', /^"[^"]+"$/, `ETag: ${en.headers.etag}`);
  assert.notEqual(en.headers.etag, ru.headers.etag, 'English and Russian have one ETag each');
  assert.equal(byHeader.headers.etag, ru.headers.etag, 'the same texts, the same ETag');
  assert.equal(ru.headers['cache-control'], 'no-cache');
  const cached = await get(server.url, `${TEXTS}?lang=ru`, { 'If-None-Match': ru.headers.etag });
  assert.equal(cached.status, 304, cached.describe());
  assert.equal(cached.body.length, 0);
  assert.equal(cached.headers.etag, ru.headers.etag);
  assert.equal(cached.headers['content-language'], 'ru');
  checkResponse(cached);
  const otherLang = await get(server.url, `${TEXTS}?lang=ru`, { 'If-None-Match': en.headers.etag });
  assert.equal(otherLang.status, 200, `the English ETag does not match the Russian texts: ${otherLang.describe()}`);
});

test('other methods are 405 with Allow: GET; HEAD answers without a body', async () => {
  for (const p of [LANGUAGES, TEXTS]) {
    const res = await request(server.url, { method: 'POST', path: p, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assertProblem(res, 405, 'method-not-allowed', p);
    assert.match(res.headers.allow ?? '', /\bGET\b/, `Allow: ${res.headers.allow}`);
    const head = await request(server.url, { method: 'HEAD', path: p });
    assert.equal(head.status, 200, head.describe());
    assert.equal(head.body.length, 0);
  }
});

test('/metrics counts the two routes', async () => {
  await get(server.url, LANGUAGES);
  await get(server.url, `${TEXTS}?lang=ru`);
  const text = (await get(server.url, '/metrics')).text;
  for (const route of ['languages', 'texts']) {
    assert.match(text, new RegExp(`^bouncedoc_http_requests_total\\{route="${route}",code="200"\\} [1-9]`, 'm'),
      `no requests counted for route="${route}"`);
  }
});

// The page holds no dictionary: every text key it names (t('key'), tn('key'), plural('key'),
// data-i18n="key") is a message of the catalog, and no Russian sits in its script.
test('the page names only texts of the catalog and holds none itself', () => {
  const app = readFileSync(path.join(repoRoot, 'static', 'app.js'), 'utf8');
  const html = readFileSync(path.join(repoRoot, 'static', 'index.html'), 'utf8');
  assert.doesNotMatch(app, CYRILLIC, 'static/app.js holds Cyrillic text');
  const keys = new Set();
  // a literal key, not the start of one ('format_' + format)
  for (const m of app.matchAll(/\b(t|tn)\(\s*'([^']+)'(?!\s*\+)/g)) keys.add(m[2]);
  for (const m of app.matchAll(/\b(t|tn)\(\s*\w+\s*\?\s*'([^']+)'\s*:\s*'([^']+)'/g)) { keys.add(m[2]); keys.add(m[3]); }
  for (const m of html.matchAll(/data-i18n(?:-aria-label)?="([^"]+)"/g)) keys.add(m[1]);
  const plurals = new Set([...app.matchAll(/\bplural\(\s*'([^']+)'/g)].map((m) => m[1]));
  assert.ok(keys.size > 50, `found only ${keys.size} keys in the page`);
  const missing = [...keys].filter((k) => !Object.hasOwn(messages, `page.${k}`));
  assert.deepEqual(missing, [], 'keys the page names that rules/messages.json lacks');
  assert.ok(plurals.size >= 2, `plural keys: ${[...plurals]}`);
  for (const k of plurals) assert.ok(families.includes(`page.${k}`), `page.${k} is no plural family`);
});
