// The pseudo-language of the tests that prove every sentence comes from the catalogs: each text
// of `bouncedoc texts export` with its letters accented and wrapped in ⟦ ⟧, placeholders kept,
// saved as lang/xx.json in a copy of rules/. An English word left in an answer, once the data
// the answer itself reports is taken out, is a sentence that did not come from the catalog.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { binaryPath, repoRoot } from './server.mjs';

const RULES = path.join(repoRoot, 'rules');

const ACCENTED = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ď', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ĺ', m: 'ṁ',
  n: 'ñ', o: 'ó', p: 'ṗ', q: 'ʠ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ú', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
};

function accent(s) {
  return s.replace(/[A-Za-z]/g, (c) => {
    const a = ACCENTED[c.toLowerCase()];
    return c === c.toLowerCase() ? a : a.toUpperCase();
  });
}

/**
 * A text of the pseudo-language: the English text with its letters accented and the whole
 * wrapped in ⟦ ⟧; placeholders ({name}, {name|fallback}: the fallback is text) and doubled
 * braces stay as the catalog writes them (server/tmpl.c).
 */
export function pseudo(text) {
  let out = '';
  let plain = '';
  for (let i = 0; i < text.length;) {
    if (text.startsWith('{{', i) || text.startsWith('}}', i)) {
      out += accent(plain) + text.slice(i, i + 2);
      plain = '';
      i += 2;
      continue;
    }
    const m = text[i] === '{' ? /^\{([A-Za-z0-9_]{1,32})(\|[^{}]*)?\}/.exec(text.slice(i)) : null;
    if (m) {
      out += accent(plain) + `{${m[1]}${m[2] !== undefined ? `|${accent(m[2].slice(1))}` : ''}}`;
      plain = '';
      i += m[0].length;
      continue;
    }
    plain += text[i];
    i += 1;
  }
  return `⟦${out}${accent(plain)}⟧`;
}

// ---------------------------------------------------------------------------------------------
// What an answer says and what it reports as data

/** Fields whose strings are data (names, codes, addresses, records, quoted server text). */
export const DATA_KEYS = new Set([
  'lang', 'format', 'feedback_type', 'reason', 'permanent_source', 'reply_code', 'code', 'status',
  'rfc', 'fix_by', 'id', 'source', 'matched', 'diagnostic', 'smtp_stage', 'action', 'remote_mta',
  'recipient', 'ips', 'domains', 'emails', 'hosts', 'blocklists', 'urls', 'sending_ip',
  'sender_domain', 'remote_host', 'remote_ip', 'anomalies', 'ip', 'ptr', 'domain', 'result',
  'record', 'term', 'outcome', 'lookup', 'added', 'provider', 'result_after', 'sender', 'helo',
  'type', 'mta_reason', 'local_program', 'exit_status', 'removed', 'unevaluated_rules',
  // the live checks' data: names, addresses, codes, records as DNS has them
  'host', 'addresses', 'level', 'alias_of', 'reverse', 'name', 'reserved', 'zone', 'selector',
  'txt', 'delist', 'codes', 'found_at', 'org_domain', 'policy', 'subdomain_policy', 'adkim',
  'aspf', 'key_type', 'rua', 'ruf', 'kind', 'target', 'health', 'qname', 'effective',
]);

/**
 * Data that is free text (the server's own words, a quoted part of them): taken out of a
 * sentence only whole, never word by word, so that its words cannot hide a leak.
 */
export const TEXT_KEYS = new Set(['diagnostic', 'matched', 'mta_reason']);

/** Every string of v with its JSON path, split into data and sentences. */
export function strings(v, where = '', out = { data: [], said: [] }) {
  if (Array.isArray(v)) {
    v.forEach((x, i) => strings(x, `${where}[${i}]`, out));
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const at = `${where}.${k}`;
      // "reason" is a reason's name in a result and a sentence in an SPF check
      const data = k === 'reason' ? typeof x === 'string' && /^[a-z]+$/.test(x) : DATA_KEYS.has(k);
      if (data) collect(x, at, out.data);
      else strings(x, at, out);
    }
  } else if (typeof v === 'string') {
    out.said.push({ at: where, text: v });
  }
  return out;
}

function collect(v, where, into) {
  if (typeof v === 'string') into.push({ at: where, text: v });
  else if (Array.isArray(v)) v.forEach((x, i) => collect(x, `${where}[${i}]`, into));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, `${where}.${k}`, into);
}

/** Words that are data wherever they stand: DNS types, SPF results and terms (RFC 7208). */
const RFC_WORDS = new Set(['txt', 'mx', 'aaaa', 'cname', 'pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror',
  'all', 'include', 'redirect', 'exp', 'exists', 'ptr', 'ip4', 'ip6', 'spf1']);

/**
 * The English words left in a sentence once the marked text and the answer's own data are
 * taken out. Data goes first (longest first), so a domain inside a sentence is no word.
 */
export function leftoverWords(text, data) {
  let s = text;
  for (const d of data) {
    if (d.length < 2) continue;
    const esc = d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    s = s.replace(new RegExp(`(?<![A-Za-z0-9])${esc}(?![A-Za-z0-9])`, 'g'), ' ');
  }
  // a name with dots is a host or domain name, data wherever it stands (a zone's test entry)
  s = s.replace(/(?<![A-Za-z0-9])[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+\.?(?![A-Za-z0-9])/g, ' ');
  // the pseudo-language's letters are not ASCII: what is left in ASCII came from elsewhere
  return (s.match(/[A-Za-z][A-Za-z'-]{2,}/g) ?? []).filter((w) => !RFC_WORDS.has(w.toLowerCase()));
}

/**
 * Assert that every sentence of an answer is in the pseudo-language: it carries ⟦ ⟧ and has no
 * English word. extraData: more strings that are data (the request's own parameters, the
 * domain's exp= text).
 */
export function assertSaid(what, body, extraData = []) {
  const { data, said } = strings(body);
  const values = [...data.map((d) => ({ ...d, key: d.at.replace(/\[\d+\]/g, '').split('.').pop() })),
    ...extraData.map((text) => ({ text, key: 'extra' }))]
    .flatMap(({ text, key }) => (TEXT_KEYS.has(key) ? [text] : [text, ...text.split(/[\s"'()<>,;=@:/]+/)]))
    .filter((t) => t.length > 0)
    .sort((a, b) => b.length - a.length);
  const bad = [];
  for (const { at, text } of said) {
    if (!text.startsWith('⟦') || !text.endsWith('⟧')) {
      bad.push(`${at}: not marked: ${JSON.stringify(text)}`);
      continue;
    }
    const words = leftoverWords(text, values);
    if (words.length > 0) bad.push(`${at}: English left (${words.join(', ')}): ${JSON.stringify(text)}`);
  }
  assert.deepEqual(bad, [], `${what}:\n  ${bad.join('\n  ')}`);
  return said.length;
}

/**
 * A copy of rules/ (links to the shipped files) in dir/rules with the pseudo-language as
 * lang/xx.json beside the shipped translations. Returns the directory and the English export.
 * opts.dnsbl: a blocklist configuration of the test's own, in place of rules/dnsbl.json (its
 * zones' meanings are texts of the catalog, so they are in the pseudo-language too).
 */
export function pseudoRules(dir, opts = {}) {
  const rules = path.join(dir, 'rules');
  mkdirSync(path.join(rules, 'lang'), { recursive: true });
  for (const f of readdirSync(RULES)) {
    if (f === 'lang' || (opts.dnsbl && f === 'dnsbl.json')) continue;
    symlinkSync(path.join(RULES, f), path.join(rules, f));
  }
  if (opts.dnsbl) symlinkSync(path.resolve(opts.dnsbl), path.join(rules, 'dnsbl.json'));
  for (const f of readdirSync(path.join(RULES, 'lang'))) symlinkSync(path.join(RULES, 'lang', f), path.join(rules, 'lang', f));
  const exp = spawnSync(binaryPath, ['texts', 'export', '--rules', rules], { cwd: repoRoot, encoding: 'utf8', timeout: 10_000 });
  assert.equal(exp.status, 0, exp.stderr);
  const english = JSON.parse(exp.stdout);
  const xx = Object.fromEntries(Object.entries(english).map(([id, text]) => [id, pseudo(text)]));
  xx['language.name'] = pseudo('Pseudo');
  writeFileSync(path.join(rules, 'lang', 'xx.json'), JSON.stringify(xx, null, 1));
  return { rules, english };
}
