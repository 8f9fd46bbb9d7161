/*
 * bouncedoc web page. Plain script, no build step, no dependencies.
 *
 * Security: the bounce text and everything the API returns are hostile input. Nothing
 * here uses innerHTML, insertAdjacentHTML, document.write or eval; all data goes into the
 * page through textContent / createTextNode, and only fixed attribute names are set. The one
 * link made from an answer is a blocklist's delisting URL, and only when it parses as an
 * http(s) URL (httpUrl), with rel="noopener noreferrer".
 * All JS lives in this file and all CSS in style.css, so the page works under the
 * server's Content-Security-Policy `default-src 'self'`.
 *
 * The page calls POST api/v1/diagnose?lang=en|ru&checks=auto (see openapi.yaml) and renders
 * the Diagnosis with the live DNS evidence the server found (checks): SPF inside the result
 * cards it is evidence for, every other check as a card of its own right after the results.
 * Its second form, "check a sender", calls GET api/v1/check?ip=&domain=&helo=&lang= (only the
 * parameters given) and shows the CheckSet's checks with the same cards. Pasted text goes as
 * JSON {"text": "..."}; an opened or dropped file (a saved bounce, .eml) goes as its raw
 * bytes with Content-Type: message/rfc822. A file is never decoded as text in the browser:
 * bounces are often not UTF-8, the server reads the MIME structure and charsets. Files over
 * MAX_FILE_BYTES (the server's body limit, 1 MiB) are refused on the page without a request.
 *
 * Texts: every text the page itself writes comes from the server's message catalog (the ids
 * "page.*" of rules/messages.json and their translations in rules/lang/<code>.json). At start
 * the page asks GET api/v1/languages (the languages for the menu) and GET api/v1/texts?lang=
 * for the first language (the stored choice, else the browser's, else the server's default);
 * another language's texts are fetched when it is chosen. Until the texts are there the
 * markup's English shows, and a diagnosis asked for meanwhile waits for them. Plural forms are
 * picked with Intl.PluralRules. When the texts cannot be fetched, the alert says so.
 *
 * Stable hooks for tests (keep them when changing the page):
 *   #bounce                 the textarea with the pasted bounce
 *   #diagnose               the submit button; `disabled` while a request is running
 *   #lang                   <select> with the page language, one option per language of
 *                           GET api/v1/languages, values its codes ("en", "ru")
 *                           (remembered in localStorage "bouncedoc.lang")
 *   #error                  role="alert" region; empty unless something went wrong
 *     [data-field="error-detail"]  the problem's `detail` (or `title`) from the API
 *   #results                the results container (aria-live="polite"); aria-busy="true"
 *                           while waiting; data-lang = language of the shown diagnosis
 *   button.example[data-example="0|1|2"]   "Try an example" buttons (fill and submit)
 *   #open-file              button that opens the file picker (keyboard accessible)
 *   #eml-file               the (visually hidden) <input type="file"> behind #open-file;
 *                           choosing a file diagnoses it at once
 *   #form[data-dragover="true"]  while a file is dragged over the form card (drop zone);
 *                           dropping a file on the card (textarea included) diagnoses it
 *   #file-status            shown while the diagnosis on screen (or running) is of a file:
 *     #file-name              the file's name
 *     #file-size              its size, e.g. "2.9 KB"
 *   #input-format           what the input was recognised as, a human label such as
 *                           "Delivery status notification (RFC 3464)"; data-value = input.format
 *                           (text|dsn|bounce|feedback|autoreply|mail), data-feedback-type for ARF
 *   [data-field="format-hint"]  what to do with an ordinary message, automatic reply or ARF
 *                           report (only for those formats)
 *   #overview               "2 failed deliveries in this bounce: ..." (only with several results);
 *                           data-count = number of results
 *   .result                 one card per element of `results` (id "result-<i>"), with
 *                           lang = diagnosis.lang, data-reason, data-permanent ("true"/"false";
 *                           absent for what is no failure), data-fix-by (absent when nobody
 *                           must act), data-recipient (when it has one); class is-permanent,
 *                           is-temporary or is-report (no failure)
 *     [data-field="recipient"]    "Recipient: user@example.org" heading the card (only when the
 *                                 result has one); data-value = the address
 *     [data-field="reason"]       badge with the reason, e.g. "authfailure"
 *     [data-field="title"]        the headline (h2)
 *     [data-field="permanent"]    "Permanent" / "Temporary" (translated); data-value
 *                                 "true"/"false"; absent for what is no failure
 *     [data-field="permanent-source"]  what decided `permanent`; data-value = permanent_source
 *     [data-field="fix-by"]       fix_by_label; data-value = fix_by; absent when nobody must act
 *     [data-field="summary"]      summary
 *     [data-field="explanation"]  explanation
 *     [data-field="fix"]          the <ol> of fix steps, one <li> per step
 *     [data-field="hard-bounce"]  "the address itself is bad" (only when hard_bounce)
 *     [data-field="smtp-stage"]   "Refused at: RCPT TO" (only when smtp_stage is set);
 *                                 data-value = smtp_stage (connect|helo|mail|rcpt|data)
 *     [data-field="reply-code"]   reply code and reply_code_info; data-value = code or ""
 *     [data-field="status"]       enhanced status code and status_info; data-value = code or ""
 *     [data-field="action"]       DSN Action, explained (only when set); data-value = action
 *     [data-field="remote-mta"]   the server that reported the failure (only when set);
 *                                 data-value = remote_mta
 *     [data-field="rule"]         matched rule id + title; data-value = rule id or ""
 *     [data-field="decision"]     why this reason was chosen
 *     [data-field="matched-rules"]  <details> listing all matched_rules (li[data-rule-id])
 *     [data-field="diagnostic"]   <details> with the diagnostic text
 *     section[data-field="spf"]   "SPF check (live DNS)": checks.spf, in the cards whose reason is
 *                                 authfailure (in every card when none is); data-status =
 *                                 status (checked|not_checked), data-result = result
 *       [data-field="spf-summary"]  what DNS says now against the bounce's claim (spf.summary; not
 *                                   without a bounce)
 *       [data-field="spf-result"]   badge "SPF: fail" or "Not checked"; data-value = result, or
 *                                   "not_checked" when status is not_checked (grey, never red)
 *       [data-field="spf-meaning"]  what the result means, in plain words (for a check that was
 *                                   not started, status and reason only: that it says nothing)
 *       [data-field="spf-not-checked-reason"]  why it could not be checked (not_checked only)
 *       [data-field="spf-record"]   the domain's record (monospace); inside it
 *         mark[data-field="spf-decisive"]  the decisive term (data-value = the term), when it is
 *                                          in this record
 *         mark[data-field="spf-via"]       the include/redirect that leads to a decisive term
 *                                          sitting in another domain's record
 *       [data-field="spf-decisive-note"]  which term decided (and in which domain's record);
 *                                   data-value = the term, data-domain = its domain
 *       [data-field="spf-reason"]   the reason sentence ("Why: …"; "Details: …" when not checked)
 *       [data-field="spf-explanation"]  the explanation (fail only)
 *       [data-field="spf-lookups"]  "N of 10 DNS lookups"; data-value = N
 *       [data-field="spf-void-lookups"]  "N of 2 void lookups"; data-value = N
 *       [data-field="spf-trace"]    <ul> of the evaluated terms: li.spf-step[data-term][data-depth]
 *                                   [data-outcome][data-domain] (data-decisive="true" on the
 *                                   decisive one), li.spf-trace-domain[data-domain] where the
 *                                   evaluation enters another domain's record
 *       [data-field="spf-fix"]      suggested record, when spf.fix is present (each part optional):
 *         [data-field="spf-fix-record"]  the corrected record; mark[data-field="spf-fix-added-term"]
 *                                        inside it = the added term, when it is found there
 *         [data-field="spf-fix-added"]   "Added: ..."; data-value = fix.added
 *         [data-field="spf-fix-why"], [data-field="spf-fix-warning"]
 *   #entities               card with the entities found (only non-empty ones are shown):
 *     [data-entity="sending_ip" | "sender_domain" | "remote_host" | "remote_ip"]  one value
 *     [data-entity="ips" | "domains" | "emails" | "hosts" | "blocklists" | "urls"]  a <ul>
 *   #anomalies              note listing input anomalies (li[data-anomaly]), when any
 *   #checks                 "Live checks": the checks of `checks` other than spf (which is in the
 *                           result cards), right after the result cards; only when there is one.
 *                           Per check a card (id "checks-<name>"):
 *     section.check[data-check][data-status]  data-check = the check's name (dmarc, dkim, ptr,
 *                           dnsbl, mx; any other name gets the plain card: name, status, summary,
 *                           findings); data-status checked|not_checked; class check-tone-ok|bad|
 *                           warn|off (off: not checked; else its worst finding's); a region
 *                           labelled by its h3 (the check's name)
 *       [data-field="check-verdict"]  the badge: what DNS shows, e.g. "Listed on 1 blocklist", or
 *                           "Not checked" (grey, class tone-off; never red); data-value = for mx
 *                           null_mx|none|implicit|mx, ptr none|confirmed|not_confirmed|unknown,
 *                           dnsbl listed|allowlisted|not_listed, dmarc the effective policy or
 *                           none_published, dkim missing|revoked|key|unusable; not_checked
 *       [data-field="check-summary"]  the summary: what DNS says now against the bounce's claim
 *       [data-field="check-not-checked"]  why it could not be checked (not_checked only; then no
 *                           facts but what was asked about, and no findings)
 *       dl.check-facts > dd[data-field][data-value]  the facts:
 *         mx-domain, mx-null, mx-implicit;
 *         ptr-ip, ptr-reverse, ptr-reserved, ptr-names (li[data-name][data-confirmed=true|false|
 *           null] with [data-field="ptr-confirmed"]), ptr-fcrdns (data-value true|false|null),
 *           ptr-generic (dynamic|generic|false), ptr-helo (data-value = the name; li
 *           [data-field="helo-literal|helo-fqdn|helo-matches-ptr|helo-resolves"][data-value]);
 *         dnsbl-targets (the IP and domain asked about);
 *         dmarc-domain, dmarc-found-at, dmarc-record, dmarc-policy, dmarc-subdomain-policy,
 *           dmarc-effective-policy, dmarc-alignment (li[data-field="dmarc-adkim|dmarc-aspf"]
 *           [data-value=r|s]), dmarc-pct, dmarc-rua;
 *         dkim-name, dkim-record, dkim-key-type, dkim-key-bits, dkim-revoked, dkim-testing
 *       table[data-field="mx-exchanges"]  MX: the exchanges by preference, tr[data-host]
 *                           [data-preference][data-status] (host, preference, status
 *                           [data-field="mx-status"], addresses); [data-field="mx-omitted"]
 *       table[data-field="dnsbl-lists"]  DNSBL: the lists with something to say (listed, named by
 *                           the bounce, refused, timeout, error, unhealthy, not configured),
 *                           listings first: tr[data-zone][data-status][data-kind][data-named] with
 *                           [data-field="dnsbl-named"], "dnsbl-status", "dnsbl-codes",
 *                           "dnsbl-detail", "dnsbl-meaning", "dnsbl-txt" (the list's TXT reason,
 *                           text), "dnsbl-note" and a[data-field="dnsbl-delist"] (only for a
 *                           listing on a blocklist whose `delist` is an http(s) URL; rel=
 *                           "noopener noreferrer", a new tab)
 *       details[data-field="dnsbl-quiet"]  the other lists (not listed, not asked), folded:
 *                           li[data-zone][data-status]
 *       ul[data-field="check-problems"]  the findings: li[data-code][data-level] with the level as
 *                           a badge [data-field="problem-level"] (Error, Warning, Note) and its text
 *                           A table's cells carry span.cell-label (aria-hidden), shown on a phone,
 *                           where each row stacks its cells.
 *   #input-info             size of the analysed input
 *   #sender                 the "check a sender" card (a region labelled by its h2):
 *     #sender-form            its form; aria-busy while a check runs
 *     #sender-ip, #sender-domain, #sender-helo  the fields (labelled; HELO optional); the page
 *                           takes "[192.0.2.7]", "user@example.com", a final dot and a Unicode
 *                           name as people paste them; aria-invalid="true" on the field a message
 *                           is about
 *     #sender-submit          the button; `disabled` while a check runs
 *   #sender-error           role="alert" for the form: what is missing or malformed (found on the
 *                           page, no request made), or the API's problem [data-field="error-detail"]
 *   #sender-results         aria-live="polite"; aria-busy while waiting; data-lang = the answer's
 *     #sender-answer          the answer: h2, dl[data-field="sender-asked"] (dd[data-field=
 *                           "sender-ip|sender-domain|sender-helo"][data-value]), then one card per
 *                           check in the service's order: section[data-field="spf"][data-check="spf"]
 *                           (id "sender-spf", as in a result card), the others as in #checks (ids
 *                           "sender-<name>"); [data-field="sender-none"] when no check applied
 */
(function () {
  'use strict';

  var API_PATH = 'api/v1/diagnose';
  var CHECK_PATH = 'api/v1/check';
  var LANGUAGES_PATH = 'api/v1/languages';
  var TEXTS_PATH = 'api/v1/texts';
  var TEXT_PREFIX = 'page.'; // the message ids of the page's texts in the catalog
  var STORAGE_KEY = 'bouncedoc.lang';
  var TIMEOUT_MS = 60000;
  var MAX_FILE_BYTES = 1048576; // the server's request body limit (it answers 413 above it)

  var EXAMPLES = [
    '550 5.7.1 192.0.2.7 is not allowed to send mail from example.com',
    '550-5.1.1 The email account that you tried to reach does not exist. Please try\n' +
      '550-5.1.1 double-checking the recipient\'s email address for typos or\n' +
      '550-5.1.1 unnecessary spaces. For more information, go to\n' +
      '550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1-20020a170902c30100b001c0 - gsmtp',
    '452 4.2.2 The email account that you tried to reach is over quota. Please direct\n' +
      '452 4.2.2 the recipient to\n' +
      '452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp b2-20020a05620a1f0100b0077 - gsmtp'
  ];

  var SINGLE_ENTITIES = ['sending_ip', 'sender_domain', 'remote_host', 'remote_ip'];
  var LIST_ENTITIES = ['ips', 'domains', 'emails', 'hosts', 'blocklists', 'urls'];

  /* The languages the service answers in and the page's texts, both from the server's
     catalog: GET api/v1/languages, then GET api/v1/texts?lang=<code> per language used. */
  var i18n = {
    langs: [],       // the codes, in the server's order
    names: {},       // code -> the language's name in itself
    fallback: 'en',  // the server's default language
    texts: {},       // code -> {"page.heading": "...", ...}, once loaded
    loading: {},     // code -> the Promise of its texts while they are being fetched
    markup: {}       // key -> the English text of the markup (data-i18n), for before any texts came
  };

  /* An input is {text: "..."} (pasted) or {file: {name, size, bytes: ArrayBuffer}}. */
  var state = {
    lang: 'en',
    ready: false,        // the texts of state.lang are loaded and on screen
    starting: null,      // the Promise of the start (languages, then the first texts)
    langSeq: 0,          // counts language switches; only the latest one applies
    // the diagnosis's request: {controller, seq (counts requests; only the latest one's answer
    // is shown), pending (the input of the request still running)}
    req: { controller: null, seq: 0, pending: null },
    lastInput: null,     // the input of the diagnosis on screen (for re-submitting on switch)
    lastError: null,     // {key, params, detail} of the message on screen, to re-translate
    fileSize: null,      // size of the file named in #file-status
    dragDepth: 0,
    // "check a sender": its own request (pending: the parameters {ip, domain, helo} of the
    // request still running), independent of the diagnosis
    sender: {
      req: { controller: null, seq: 0, pending: null },
      last: null,        // the parameters of the answer on screen
      error: null        // {key, params, detail, field} of its message on screen
    }
  };

  var dom = {};

  /* ---------- helpers ---------- */

  function hasOwn(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /* The loaded texts of the page's language ({} before they came). */
  function texts() {
    return i18n.texts[state.lang] || {};
  }

  /* Is there a text `key` (message id "page." + key)? */
  function hasText(key) {
    return hasOwn(texts(), TEXT_PREFIX + key);
  }

  function fill(s, params) {
    if (!params) return s;
    return s.replace(/\{(\w+)\}/g, function (m, name) {
      if (!hasOwn(params, name)) return m;
      var v = params[name];
      return typeof v === 'number' ? formatNumber(v) : String(v);
    });
  }

  /* The text `key` in the page's language with its {name}s filled from params; before the
     texts came, the markup's English, else the key itself. */
  function t(key, params) {
    var all = texts();
    var s = hasOwn(all, TEXT_PREFIX + key) ? all[TEXT_PREFIX + key]
      : hasOwn(i18n.markup, key) ? i18n.markup[key] : key;
    return fill(s, params);
  }

  /* t() with parameters that are nodes (or strings, or numbers): a list of strings and nodes
     for el(). tn('spfQuery', {ip: el('code', null, ip)}). A node used twice is copied. */
  function tn(key, params) {
    var s = t(key);
    var out = [];
    var used = [];
    var re = /\{(\w+)\}/g;
    var last = 0;
    var m;
    while ((m = re.exec(s)) !== null) {
      if (!Object.prototype.hasOwnProperty.call(params, m[1])) continue;
      if (m.index > last) out.push(s.slice(last, m.index));
      var v = params[m[1]];
      if (typeof v === 'number') v = formatNumber(v);
      else if (v && typeof v === 'object' && typeof v.cloneNode === 'function') {
        if (used.indexOf(v) >= 0) v = v.cloneNode(true);
        else used.push(v);
      }
      out.push(v);
      last = re.lastIndex;
    }
    if (last < s.length) out.push(s.slice(last));
    return out;
  }

  function formatNumber(n, fraction) {
    try {
      return n.toLocaleString(state.lang, { minimumFractionDigits: fraction || 0, maximumFractionDigits: fraction || 0 });
    } catch (e) {
      return String(n);
    }
  }

  /* The form for n of the plural family `key` ("page.KEY.one", ".few", ".many", ".other":
     the forms the language tells apart), its {name}s filled from params: the language's
     plural category of n, else "other", else "one". */
  function plural(key, n, params) {
    var all = texts();
    var forms = ['other', 'one'];
    try {
      forms.unshift(new Intl.PluralRules(state.lang).select(n));
    } catch (e) { /* no Intl.PluralRules: the forms that are always there */ }
    for (var i = 0; i < forms.length; i++) {
      var id = TEXT_PREFIX + key + '.' + forms[i];
      if (hasOwn(all, id)) return fill(all[id], params);
    }
    return key;
  }

  function formatSize(bytes) {
    if (bytes < 1024) return t('sizeBytes', { n: bytes });
    if (bytes < 1048576) return t('sizeKB', { n: formatNumber(bytes / 1024, 1) });
    return t('sizeMB', { n: formatNumber(bytes / 1048576, 1) });
  }

  /* el('p', {class: 'x', 'data-field': 'y'}, 'text', node, ...): children that are
     strings become text nodes, null/undefined/false children are skipped. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var v = attrs[name];
        if (v === null || v === undefined || v === false) return;
        node.setAttribute(name, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { append(node, c); });
    } else if (typeof child === 'string' || typeof child === 'number') {
      node.appendChild(document.createTextNode(String(child)));
    } else {
      node.appendChild(child);
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function str(v) {
    return typeof v === 'string' ? v : (v === null || v === undefined ? '' : String(v));
  }

  function isObj(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  function arr(v) {
    return Array.isArray(v) ? v : [];
  }

  var CYRILLIC = /[\u0400-\u04ff]/;
  var LATIN = /[A-Za-z]/;

  /* lang for a text the server sent (an SPF reason or trace text, a fix sentence): the server
     writes its own sentences in the diagnosis language, so they take the card's language (null);
     what it only passes on may still be English (a domain's exp= text, a record syntax error):
     "en" when the card is not English and the text has Latin letters only, so that screen
     readers read it right. */
  function textLang(s, respLang) {
    return respLang !== 'en' && LATIN.test(s) && !CYRILLIC.test(s) ? 'en' : null;
  }

  /* The language served for a tag ("ru-RU" -> "ru"), or null. */
  function pickLang(candidate) {
    if (typeof candidate !== 'string') return null;
    var l = candidate.toLowerCase().split(/[-_]/)[0];
    return i18n.langs.indexOf(l) >= 0 ? l : null;
  }

  function isMac() {
    var p = (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || '';
    return /mac|iphone|ipad|ipod/i.test(p);
  }

  /* ---------- language ---------- */

  function initialLang() {
    var stored = null;
    try { stored = pickLang(window.localStorage.getItem(STORAGE_KEY)); } catch (e) { /* private mode */ }
    if (stored) return stored;
    var prefs = (navigator.languages && navigator.languages.length) ? navigator.languages : [navigator.language];
    for (var i = 0; i < prefs.length; i++) {
      var l = pickLang(prefs[i]);
      if (l) return l;
    }
    return i18n.fallback;
  }

  function getJSON(url) {
    return fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
        return res.json();
      });
  }

  /* The languages the service answers in, each with its name in itself. */
  function loadLanguages() {
    return getJSON(LANGUAGES_PATH).then(function (d) {
      var langs = [];
      var names = {};
      arr(isObj(d) ? d.languages : null).forEach(function (l) {
        if (!isObj(l) || typeof l.code !== 'string' || !l.code || hasOwn(names, l.code)) return;
        langs.push(l.code);
        names[l.code] = str(l.name) || l.code;
      });
      if (!langs.length) throw new Error(LANGUAGES_PATH + ': no languages');
      i18n.langs = langs;
      i18n.names = names;
      i18n.fallback = langs.indexOf(d['default']) >= 0 ? d['default'] : langs[0];
    });
  }

  /* The page's texts in lang, fetched once (a failed fetch is tried again next time). */
  function loadTexts(lang) {
    if (i18n.texts[lang]) return Promise.resolve(i18n.texts[lang]);
    if (!i18n.loading[lang]) {
      i18n.loading[lang] = getJSON(TEXTS_PATH + '?lang=' + encodeURIComponent(lang)).then(function (d) {
        if (!isObj(d) || !isObj(d.texts)) throw new Error(TEXTS_PATH + ': no texts');
        var all = Object.create(null);
        Object.keys(d.texts).forEach(function (id) {
          if (typeof d.texts[id] === 'string') all[id] = d.texts[id];
        });
        i18n.texts[lang] = all;
        delete i18n.loading[lang];
        return all;
      }, function (e) {
        delete i18n.loading[lang];
        throw e;
      });
    }
    return i18n.loading[lang];
  }

  /* The language menu: the languages the service answers in, each named in itself. */
  function renderLangMenu() {
    clear(dom.lang);
    i18n.langs.forEach(function (code) {
      dom.lang.appendChild(el('option', { value: code, lang: code }, i18n.names[code]));
    });
  }

  /* Gets the languages and the texts of the first language, then shows the page in it. The
     markup's English stays until then (and when it fails: a later action tries again). */
  function start() {
    if (!state.starting) {
      state.starting = loadLanguages().then(function () {
        var lang = initialLang();
        return loadTexts(lang).then(function () {
          state.lang = lang;
          renderLangMenu();
          state.ready = true;
          applyChrome();
        });
      });
      state.starting.catch(function () { state.starting = null; });
    }
    return state.starting;
  }

  /* Runs fn once the page has its texts (at once when it has them); when they cannot be
     fetched, the alert says so instead. */
  function whenReady(fn) {
    if (state.ready) {
      fn();
      return;
    }
    start().then(fn, function () { showError({ key: 'errorTexts' }); });
  }

  function applyChrome() {
    document.documentElement.lang = state.lang;
    document.title = t('pageTitle');
    dom.lang.value = state.lang;
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
    }
    var labelled = document.querySelectorAll('[data-i18n-aria-label]');
    for (var j = 0; j < labelled.length; j++) {
      labelled[j].setAttribute('aria-label', t(labelled[j].getAttribute('data-i18n-aria-label')));
    }
    setBusyLabel(DIAGNOSE_FORM, dom.diagnose.disabled);
    setBusyLabel(SENDER_FORM, dom.senderSubmit.disabled);
  }

  /* Switches the page to lang once its texts are there (the latest switch wins). */
  function setLang(lang) {
    lang = pickLang(lang) || i18n.fallback;
    var seq = ++state.langSeq;
    if (lang === state.lang) return;
    loadTexts(lang).then(function () {
      if (seq === state.langSeq) switchLang(lang);
    }, function () {
      if (seq !== state.langSeq) return;
      dom.lang.value = state.lang;
      showError({ key: 'errorTexts' });
    });
  }

  function switchLang(lang) {
    state.lang = lang;
    try { window.localStorage.setItem(STORAGE_KEY, lang); } catch (e) { /* ignore */ }
    applyChrome();
    if (state.lastError) {
      showError(state.lastError);
    }
    if (!dom.fileStatus.hidden && state.fileSize !== null) dom.fileSize.textContent = formatSize(state.fileSize);
    // Ask again in the new language: the request still running, or the diagnosis on screen.
    if (state.req.controller && state.req.pending !== null) {
      diagnose(state.req.pending);
    } else if (state.lastInput !== null && dom.results.querySelector('.result')) {
      diagnose(state.lastInput);
    }
    var sender = state.sender;
    if (sender.error) showSenderError(sender.error);
    if (sender.req.controller && sender.req.pending) {
      checkSender(sender.req.pending);
    } else if (sender.last && dom.senderResults.firstChild) {
      checkSender(sender.last);
    }
  }

  /* ---------- busy state and errors ---------- */

  /* The two forms, by their dom names and the texts of their button. */
  var DIAGNOSE_FORM = { form: 'form', button: 'diagnose', label: 'diagnoseLabel', results: 'results',
    idle: 'diagnose', busy: 'diagnosing', refocus: false };
  var SENDER_FORM = { form: 'senderForm', button: 'senderSubmit', label: 'senderSubmitLabel', results: 'senderResults',
    idle: 'senderCheck', busy: 'senderChecking', refocus: false };

  function setBusyLabel(f, busy) {
    dom[f.label].textContent = t(busy ? f.busy : f.idle);
  }

  /* While a form's request runs: its button disabled and saying so, the form and its results
     aria-busy. A disabled button drops focus; it gets it back when the request is over. */
  function setFormBusy(f, busy) {
    var button = dom[f.button];
    var hadFocus = document.activeElement === button;
    button.disabled = busy;
    dom[f.form].classList.toggle('is-busy', busy);
    dom[f.form].setAttribute('aria-busy', busy ? 'true' : 'false');
    dom[f.results].setAttribute('aria-busy', busy ? 'true' : 'false');
    setBusyLabel(f, busy);
    if (busy && hadFocus) f.refocus = true;
    if (!busy && f.refocus) {
      f.refocus = false;
      if (!document.activeElement || document.activeElement === document.body) button.focus();
    }
  }

  function setBusy(busy) {
    setFormBusy(DIAGNOSE_FORM, busy);
  }

  function setSenderBusy(busy) {
    setFormBusy(SENDER_FORM, busy);
  }

  function clearError() {
    state.lastError = null;
    clear(dom.error);
    dom.bounce.removeAttribute('aria-invalid');
  }

  /* The message of err in the alert region `region`. */
  function errorBox(region, err) {
    clear(region);
    region.appendChild(el('div', { class: 'error-box' },
      el('p', null,
        el('strong', null, t(err.key, err.params)),
        err.detail ? ' ' : null,
        err.detail ? el('span', { 'data-field': 'error-detail' }, err.detail) : null)));
  }

  /* err: {key, params, detail, invalid} */
  function showError(err) {
    state.lastError = err;
    errorBox(dom.error, err);
    if (err.invalid) dom.bounce.setAttribute('aria-invalid', 'true');
  }

  /* ---------- talking to the API ---------- */

  function fail(err) {
    clear(dom.results);
    dom.results.removeAttribute('data-lang');
    state.lastInput = null;
    showError(err);
  }

  /* Stops whatever is running and shows err instead of a diagnosis (no request is made). */
  function refuse(err) {
    stop(state.req);
    setBusy(false);
    clearError();
    fail(err);
  }

  /* ---------- files ---------- */

  function showFile(file) {
    if (!file) {
      dom.fileStatus.hidden = true;
      dom.fileName.textContent = '';
      dom.fileSize.textContent = '';
      state.fileSize = null;
      return;
    }
    dom.fileName.textContent = str(file.name);
    state.fileSize = typeof file.size === 'number' ? file.size : null;
    dom.fileSize.textContent = state.fileSize === null ? '' : formatSize(state.fileSize);
    dom.fileStatus.hidden = false;
  }

  function readBytes(file) {
    if (typeof file.arrayBuffer === 'function') return file.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  /* Diagnoses a chosen or dropped file: its raw bytes go to the API as message/rfc822. */
  function openFiles(files) {
    if (!files || !files.length) return;
    // The list is taken now: the input is reset and a drop's data goes away after the event.
    var list = Array.prototype.slice.call(files);
    whenReady(function () { openFileList(list); });
  }

  function openFileList(files) {
    if (files.length > 1) {
      showFile(null);
      refuse({ key: 'errorOneFile' });
      return;
    }
    var file = files[0];
    var name = str(file.name) || 'bounce.eml';
    showFile(file);
    if (file.size > MAX_FILE_BYTES) {
      refuse({ key: 'errorTooLarge', params: { name: name, size: file.size, max: MAX_FILE_BYTES } });
      return;
    }
    if (file.size === 0) {
      refuse({ key: 'errorEmptyFile', params: { name: name } });
      return;
    }
    var seq = state.req.seq;
    readBytes(file).then(function (bytes) {
      if (seq !== state.req.seq) return; // something newer was asked for meanwhile
      // The size is checked again on what was read (a file can change after it was chosen).
      if (bytes.byteLength > MAX_FILE_BYTES) {
        refuse({ key: 'errorTooLarge', params: { name: name, size: bytes.byteLength, max: MAX_FILE_BYTES } });
        return;
      }
      diagnose({ file: { name: name, size: bytes.byteLength, bytes: bytes } });
    }, function () {
      if (seq !== state.req.seq) return;
      refuse({ key: 'errorRead', params: { name: name } });
    });
  }

  function hasFiles(ev) {
    var types = ev.dataTransfer && ev.dataTransfer.types;
    if (!types) return false;
    for (var i = 0; i < types.length; i++) {
      if (types[i] === 'Files') return true;
    }
    return false;
  }

  function setDragOver(on) {
    if (!on) state.dragDepth = 0;
    dom.form.classList.toggle('is-dragover', on);
    if (on) dom.form.setAttribute('data-dragover', 'true');
    else dom.form.removeAttribute('data-dragover');
  }

  function wireDrop() {
    var form = dom.form;
    form.addEventListener('dragenter', function (ev) {
      if (!hasFiles(ev)) return;
      ev.preventDefault();
      state.dragDepth++;
      setDragOver(true);
    });
    form.addEventListener('dragover', function (ev) {
      if (!hasFiles(ev)) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'copy';
      if (!form.classList.contains('is-dragover')) setDragOver(true);
    });
    // dragenter of the element entered comes before dragleave of the one left, so the
    // count only drops to 0 when the pointer leaves the card.
    form.addEventListener('dragleave', function (ev) {
      if (!hasFiles(ev)) return;
      state.dragDepth = Math.max(0, state.dragDepth - 1);
      if (state.dragDepth === 0) setDragOver(false);
    });
    form.addEventListener('drop', function (ev) {
      if (!hasFiles(ev)) return; // dropped text goes into the textarea as usual
      ev.preventDefault();
      setDragOver(false);
      openFiles(ev.dataTransfer.files);
    });
    // A file dropped elsewhere on the page must not make the browser navigate away to it.
    document.addEventListener('dragover', function (ev) {
      if (!hasFiles(ev) || form.contains(ev.target)) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'none';
      if (form.classList.contains('is-dragover')) setDragOver(false); // a missed dragleave
    });
    document.addEventListener('drop', function (ev) {
      if (!hasFiles(ev) || form.contains(ev.target)) return;
      ev.preventDefault();
      setDragOver(false);
    });
    document.addEventListener('dragend', function () { setDragOver(false); });
  }

  /* ---------- requests ---------- */

  /* input: a string (pasted text), {text} or {file: {name, size, bytes}}; asked once the
     page has its texts. */
  function diagnose(input) {
    whenReady(function () { send(input); });
  }

  function send(input) {
    if (typeof input === 'string') input = { text: input };
    if (state.req.controller) state.req.controller.abort();
    clearError();
    if (!input.file) showFile(null);
    if (!input.file && (!input.text || !input.text.trim())) {
      refuse({ key: 'errorEmpty', invalid: true });
      dom.bounce.focus();
      return Promise.resolve();
    }

    // checks=auto (the API's default, asked for explicitly): the live DNS checks the
    // diagnosis calls for, e.g. SPF for an authentication failure.
    return ask(state.req, {
      url: API_PATH + '?lang=' + encodeURIComponent(state.lang) + '&checks=auto',
      init: {
        method: 'POST',
        headers: { 'Content-Type': input.file ? 'message/rfc822' : 'application/json' },
        body: input.file ? input.file.bytes : JSON.stringify({ text: input.text })
      },
      input: input,
      serviceKey: 'errorService',
      valid: function (d) { return isObj(d) && Array.isArray(d.results) && d.results.length > 0; },
      render: function (d) {
        renderDiagnosis(d, input);
        state.lastInput = input;
      },
      fail: fail,
      busy: setBusy
    });
  }

  /* Ends the request of slot ({controller, seq, pending}) that is running, if any: its answer,
     should it still come, is not shown. */
  function stop(slot) {
    if (slot.controller) slot.controller.abort();
    slot.seq++;
    slot.controller = null;
    slot.pending = null;
  }

  /* One request of a form, the latest of its slot winning (an earlier one still running is
     aborted). o: {url, init (method, headers, body), input (kept in slot.pending meanwhile),
     serviceKey (the message before a problem's detail), valid(data), render(data), fail(err),
     busy(on)}. The answer is JSON, or a problem (RFC 9457) whose detail the alert shows. */
  function ask(slot, o) {
    if (slot.controller) slot.controller.abort();
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    slot.controller = controller;
    slot.pending = o.input;
    var seq = ++slot.seq;
    var timedOut = false;
    var timer = setTimeout(function () {
      timedOut = true;
      if (controller) controller.abort();
    }, TIMEOUT_MS);
    var init = o.init || {};
    init.headers = init.headers || {};
    init.headers['Accept'] = 'application/json, application/problem+json';
    init.signal = controller ? controller.signal : undefined;
    init.credentials = 'same-origin';
    init.cache = 'no-store';

    o.busy(true);
    return fetch(o.url, init).then(function (res) {
      var type = (res.headers.get('Content-Type') || '').toLowerCase();
      var isJson = type.indexOf('json') >= 0;
      var body = isJson ? res.json().catch(function () { return null; }) : Promise.resolve(null);
      return body.then(function (data) { return { res: res, data: data }; });
    }).then(function (r) {
      if (seq !== slot.seq) return;
      if (!r.res.ok) {
        if (isObj(r.data) && (typeof r.data.detail === 'string' || typeof r.data.title === 'string')) {
          o.fail({ key: o.serviceKey, detail: str(r.data.detail) || str(r.data.title) });
        } else {
          o.fail({ key: 'errorHttp', params: { status: r.res.status } });
        }
        return;
      }
      if (!o.valid(r.data)) {
        o.fail({ key: 'errorBadAnswer' });
        return;
      }
      try {
        o.render(r.data);
      } catch (e) {
        o.fail({ key: 'errorBadAnswer' });
      }
    }, function (e) {
      if (seq !== slot.seq) return;
      if (e && e.name === 'AbortError' && !timedOut) return; // superseded by a newer request
      o.fail({ key: timedOut ? 'errorTimeout' : 'errorNetwork' });
    }).then(function () {
      clearTimeout(timer);
      if (seq === slot.seq) {
        slot.controller = null;
        slot.pending = null;
        o.busy(false);
      }
    });
  }

  /* ---------- "Check a sender" (GET api/v1/check) ---------- */

  var IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

  /* The form's values, tidied as people paste them: "[192.0.2.7]" as bounces write an address,
     "user@example.com" for a domain, a final dot, a name in Unicode (sent in its ASCII form). */
  function senderParams() {
    var ip = dom.senderIp.value.trim();
    var domain = dom.senderDomain.value.trim();
    var helo = dom.senderHelo.value.trim();
    if (/^\[[^\]]*\]$/.test(ip)) ip = ip.slice(1, -1);
    if (domain.indexOf('@') >= 0) domain = domain.slice(domain.lastIndexOf('@') + 1);
    domain = asciiName(domain.replace(/\.$/, ''));
    return { ip: ip, domain: domain, helo: helo };
  }

  function asciiName(name) {
    if (!/[^\x00-\x7f]/.test(name)) return name;
    try {
      return new URL('http://' + name + '/').hostname || name;
    } catch (e) {
      return name; // the server says what is wrong with it
    }
  }

  /* A light check of what was typed, before any request (the server checks it fully and answers
     400 with what to send): which field is wrong and the message, or null. */
  function senderProblem(p) {
    if (!p.ip && !p.domain) return { key: 'errorSenderEmpty', field: 'ip' };
    if (p.ip) {
      var m = IPV4.exec(p.ip);
      var ok = m ? m.slice(1).every(function (o) { return Number(o) <= 255; })
        : p.ip.indexOf(':') >= 0 && /^[0-9A-Fa-f:.]+$/.test(p.ip);
      if (!ok) return { key: 'errorSenderIp', field: 'ip' };
    }
    if (p.domain && (p.domain.length > 253 || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(p.domain))) {
      return { key: 'errorSenderDomain', field: 'domain' };
    }
    if (p.helo && (p.helo.length > 255 || /\s/.test(p.helo))) return { key: 'errorSenderHelo', field: 'helo' };
    return null;
  }

  function senderInput(field) {
    return field === 'domain' ? dom.senderDomain : field === 'helo' ? dom.senderHelo : dom.senderIp;
  }

  function clearSenderError() {
    state.sender.error = null;
    clear(dom.senderError);
    [dom.senderIp, dom.senderDomain, dom.senderHelo].forEach(function (n) { n.removeAttribute('aria-invalid'); });
  }

  /* err: {key, params, detail, field}: field names the input that is wrong (and both address
     fields for "give one of them"). */
  function showSenderError(err) {
    state.sender.error = err;
    errorBox(dom.senderError, err);
    if (err.field) senderInput(err.field).setAttribute('aria-invalid', 'true');
    if (err.key === 'errorSenderEmpty') dom.senderDomain.setAttribute('aria-invalid', 'true');
  }

  function senderFail(err) {
    clear(dom.senderResults);
    dom.senderResults.removeAttribute('data-lang');
    state.sender.last = null;
    showSenderError(err);
  }

  /* The form was sent: check what it holds, then ask. */
  function submitSender() {
    whenReady(function () {
      var p = senderParams();
      var problem = senderProblem(p);
      if (problem) {
        stop(state.sender.req);
        setSenderBusy(false);
        clearSenderError();
        senderFail(problem);
        senderInput(problem.field).focus();
        return;
      }
      checkSender(p);
    });
  }

  /* p: {ip, domain, helo}; asked once the page has its texts. */
  function checkSender(p) {
    whenReady(function () { sendCheck(p); });
  }

  function sendCheck(p) {
    var sender = state.sender;
    if (sender.req.controller) sender.req.controller.abort();
    clearSenderError();
    var query = [];
    ['ip', 'domain', 'helo'].forEach(function (k) {
      if (p[k]) query.push(k + '=' + encodeURIComponent(p[k]));
    });
    query.push('lang=' + encodeURIComponent(state.lang));
    return ask(sender.req, {
      url: CHECK_PATH + '?' + query.join('&'),
      input: p,
      serviceKey: 'errorSenderService',
      valid: function (d) { return isObj(d) && isObj(d.checks); },
      render: function (d) {
        renderSenderAnswer(d, p);
        sender.last = p;
      },
      fail: senderFail,
      busy: setSenderBusy
    });
  }

  /* The answer (CheckSet): what was asked, then a card per check in the service's order. No
     bounce, so no summaries: each card says what DNS shows now. */
  function renderSenderAnswer(d, p) {
    var respLang = pickLang(d.lang) || state.lang;
    var names = Object.keys(d.checks);
    var asked = el('dl', { class: 'sender-asked', 'data-field': 'sender-asked' },
      p.ip ? [el('dt', null, t('senderIp')), el('dd', { 'data-field': 'sender-ip', 'data-value': p.ip }, codeOf(p.ip))] : null,
      p.domain ? [el('dt', null, t('senderDomain')), el('dd', { 'data-field': 'sender-domain', 'data-value': p.domain }, codeOf(p.domain))] : null,
      p.helo ? [el('dt', null, t('senderHelo')), el('dd', { 'data-field': 'sender-helo', 'data-value': p.helo }, codeOf(p.helo))] : null);
    var answer = el('div', { id: 'sender-answer', class: 'card sender-answer', lang: respLang },
      el('h2', { id: 'sender-answer-title' }, t('senderAnswerTitle')),
      asked,
      names.length
        ? names.map(function (name) {
          return renderCheckCard(name, d.checks[name], { id: 'sender', respLang: respLang, sender: true });
        })
        : el('p', { class: 'muted', 'data-field': 'sender-none' }, t('senderNoChecks')));
    clear(dom.senderResults);
    dom.senderResults.setAttribute('data-lang', respLang);
    dom.senderResults.appendChild(answer);
    var rect = answer.getBoundingClientRect();
    var vh = window.innerHeight || document.documentElement.clientHeight;
    if (rect.top > vh * 0.75 || rect.top < 0) {
      var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      answer.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
    }
  }

  /* ---------- rendering ---------- */

  function renderDiagnosis(d, input) {
    var respLang = pickLang(d.lang) || state.lang;
    var frag = document.createDocumentFragment();
    var results = d.results.filter(isObj);
    var info = isObj(d.input) ? d.input : {};

    frag.appendChild(renderIntro(info, results, !!(input && input.file)));

    var anomalies = arr(d.anomalies).filter(function (a) { return typeof a === 'string'; });
    if (anomalies.length) frag.appendChild(renderAnomalies(anomalies));

    // checks.spf is evidence for the authentication failures: it goes into their cards (into
    // every card when no result is one, so that it is never lost).
    var checks = isObj(d.checks) ? d.checks : {};
    var spf = isObj(checks.spf) ? checks.spf : null;
    var anyAuth = results.some(function (r) { return r.reason === 'authfailure'; });

    results.forEach(function (r, i) {
      frag.appendChild(renderResult(r, i, respLang, spf && (!anyAuth || r.reason === 'authfailure') ? spf : null));
    });

    // The other checks right after the results they are evidence for, each as a card.
    var otherChecks = Object.keys(checks).filter(function (name) { return !(name === 'spf' && spf); });
    if (otherChecks.length) {
      frag.appendChild(renderChecks(checks, otherChecks, respLang));
    }

    frag.appendChild(renderEntities(isObj(d.entities) ? d.entities : {}));

    if (typeof info.bytes === 'number') {
      frag.appendChild(el('p', { id: 'input-info', class: 'input-info' },
        plural('inputInfo', typeof info.lines === 'number' ? info.lines : NaN, {
          bytes: info.bytes,
          lines: typeof info.lines === 'number' ? info.lines : '?'
        })));
    }

    clear(dom.results);
    dom.results.setAttribute('data-lang', respLang);
    dom.results.appendChild(frag);
    revealResults();
  }

  function revealResults() {
    var first = dom.results.firstElementChild;
    if (!first || typeof first.getBoundingClientRect !== 'function') return;
    var rect = first.getBoundingClientRect();
    var vh = window.innerHeight || document.documentElement.clientHeight;
    if (rect.top > vh * 0.75 || rect.top < 0) {
      var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      first.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
    }
  }

  /* What the input was recognised as, and an overview when there are several results. */
  function renderIntro(info, results, fromFile) {
    var format = str(info.format);
    var known = hasText('format_' + format);
    var label = format;
    if (known) label = t(format === 'text' && fromFile ? 'format_text_file' : 'format_' + format);
    var feedbackType = str(info.feedback_type);
    if (format === 'feedback' && feedbackType) label += ': ' + feedbackType;

    var intro = el('div', { class: 'intro' });
    if (format) {
      intro.appendChild(el('p', { class: 'input-format' },
        el('span', { class: 'k' }, t('recognisedAs')),
        ' ',
        el('strong', {
          id: 'input-format',
          'data-value': format,
          'data-feedback-type': format === 'feedback' && feedbackType ? feedbackType : null
        }, label)));
      if (hasText('formatHint_' + format)) {
        intro.appendChild(el('p', { class: 'format-hint', 'data-field': 'format-hint' }, t('formatHint_' + format)));
      }
    }
    if (results.length > 1) {
      // what is no failure (a delivery, an auto-reply) counts as neither
      var permanent = results.filter(function (r) { return r.permanent === true; }).length;
      var temporary = results.filter(function (r) { return r.permanent === false; }).length;
      var overview = t('overview', { n: results.length, deliveries: plural('deliveries', results.length) });
      intro.appendChild(el('p', { id: 'overview', class: 'overview', 'data-count': results.length },
        el('strong', null, overview),
        ': ',
        t('overviewSplit', { permanent: permanent, temporary: temporary }),
        '.'));
    }
    return intro;
  }

  function renderAnomalies(list) {
    return el('aside', { id: 'anomalies', class: 'note' },
      el('strong', null, t('anomaliesLabel')),
      el('ul', null, list.map(function (a) {
        var key = 'anomaly_' + a;
        var known = hasText(key);
        return el('li', { 'data-anomaly': a }, known ? t(key) : a);
      })));
  }

  function fact(label, field, value, content) {
    return [
      el('dt', null, label),
      el('dd', { 'data-field': field, 'data-value': value }, content)
    ];
  }

  function renderResult(r, index, respLang, spf) {
    var id = 'result-' + index;
    var permanent = r.permanent === true;
    // permanent is null for what is no failure: no badge; fix_by is null when nobody must act
    var failure = typeof r.permanent === 'boolean';
    var fixBy = str(r.fix_by);
    var source = str(r.permanent_source);
    var sourceKey = 'source_' + source;
    var fixSteps = arr(r.fix).filter(function (s) { return typeof s === 'string' && s !== ''; });

    var recipient = typeof r.recipient === 'string' ? r.recipient : '';
    var head = el('header', { class: 'result-head' },
      recipient
        ? el('p', { id: id + '-recipient', class: 'result-recipient', 'data-field': 'recipient', 'data-value': recipient },
          el('span', { class: 'k' }, t('recipient') + ':'), ' ', el('code', null, recipient))
        : null,
      el('span', { class: 'badge', 'data-field': 'reason' }, str(r.reason)),
      el('h2', { id: id + '-title', class: 'result-title', 'data-field': 'title' }, str(r.title)));

    var verdict = failure || fixBy
      ? el('div', { class: 'verdict' },
        failure
          ? el('div', { class: 'verdict-item' },
            el('span', {
              class: 'pill ' + (permanent ? 'pill-permanent' : 'pill-temporary'),
              'data-field': 'permanent',
              'data-value': permanent ? 'true' : 'false'
            }, t(permanent ? 'permanent' : 'temporary')),
            el('span', { class: 'verdict-hint' }, t(permanent ? 'permanentHint' : 'temporaryHint')),
            hasText(sourceKey)
              ? el('span', { class: 'verdict-source', 'data-field': 'permanent-source', 'data-value': source }, t(sourceKey))
              : null)
          : null,
        fixBy
          ? el('div', { class: 'verdict-item fix-by' },
            el('span', { class: 'fix-by-label' }, t('fixBy')),
            el('strong', { 'data-field': 'fix-by', 'data-value': fixBy }, str(r.fix_by_label) || fixBy))
          : null)
      : null;

    var body = [
      el('p', { class: 'summary', 'data-field': 'summary' }, str(r.summary)),
      el('h3', null, t('whatHappened')),
      el('p', { class: 'explanation', 'data-field': 'explanation' }, str(r.explanation)),
      el('h3', null, t('howToFix')),
      el('ol', { class: 'fix', 'data-field': 'fix' }, fixSteps.map(function (s) { return el('li', null, s); }))
    ];

    var facts = el('dl', { class: 'facts' });
    if (r.hard_bounce === true) {
      append(facts, fact(t('hardBounce'), 'hard-bounce', 'true', t('hardBounceYes')));
    }
    var stage = str(r.smtp_stage);
    if (stage) {
      append(facts, fact(t('smtpStage'), 'smtp-stage', stage, renderKnown('stage_', stage, 'stageDesc_', false)));
    }
    append(facts, fact(t('replyCode'), 'reply-code', str(r.reply_code), renderReplyCode(r)));
    append(facts, fact(t('statusCode'), 'status', str(r.status), renderStatus(r)));
    var action = str(r.action);
    if (action) {
      append(facts, fact(t('dsnAction'), 'action', action, renderKnown(null, action, 'action_', true)));
    }
    var remoteMta = str(r.remote_mta);
    if (remoteMta) {
      append(facts, fact(t('remoteMta'), 'remote-mta', remoteMta, el('code', null, remoteMta)));
    }
    append(facts, fact(t('rule'), 'rule', isObj(r.rule) ? str(r.rule.id) : '', renderRule(r.rule)));
    if (str(r.decision)) {
      append(facts, fact(t('decision'), 'decision', null, str(r.decision)));
    }

    var matched = arr(r.matched_rules).filter(isObj);
    var matchedDetails = el('details', { class: 'more', 'data-field': 'matched-rules' },
      el('summary', null, t('matchedRules', { n: matched.length })),
      matched.length
        ? el('ol', { class: 'matched' }, matched.map(renderMatch))
        : el('p', { class: 'muted' }, t('noMatchedRules')));

    if (spf) body.push(renderSpf(spf, id, respLang));

    var extra = [el('h3', null, t('facts')), facts, matchedDetails];
    if (str(r.diagnostic)) {
      extra.push(el('details', { class: 'more', 'data-field': 'diagnostic' },
        el('summary', null, t('diagnostic')),
        el('pre', { class: 'diagnostic' }, str(r.diagnostic))));
    }

    return el('article', {
      id: id,
      class: 'card result ' + (!failure ? 'is-report' : permanent ? 'is-permanent' : 'is-temporary'),
      lang: respLang,
      'aria-labelledby': recipient ? id + '-recipient ' + id + '-title' : id + '-title',
      'data-recipient': recipient || null,
      'data-reason': str(r.reason),
      'data-permanent': failure ? (permanent ? 'true' : 'false') : null,
      'data-fix-by': fixBy || null
    }, head, verdict, body, extra);
  }

  /* A value from a small vocabulary: its label (labelPrefix + value, or the value itself as
     code) and its description (descPrefix + value); an unknown value is shown as it is. */
  function renderKnown(labelPrefix, value, descPrefix, asCode) {
    var label = labelPrefix && hasText(labelPrefix + value) ? t(labelPrefix + value) : value;
    return [
      asCode ? el('code', { class: 'code' }, label) : el('strong', null, label),
      hasText(descPrefix + value) ? el('span', { class: 'desc' }, t(descPrefix + value)) : null
    ];
  }

  function explainedItem(label, ex, extra) {
    if (!isObj(ex)) return null;
    return el('li', null,
      el('span', { class: 'k' }, label),
      ' ',
      el('strong', null, str(ex.title)),
      extra || null,
      str(ex.description) ? el('span', { class: 'desc' }, str(ex.description)) : null);
  }

  function renderReplyCode(r) {
    if (!str(r.reply_code)) return el('span', { class: 'muted' }, t('notInBounce'));
    var info = isObj(r.reply_code_info) ? r.reply_code_info : null;
    var out = [el('code', { class: 'code' }, str(r.reply_code))];
    if (info) {
      out.push(el('ul', { class: 'explained' },
        explainedItem(t('class'), info['class']),
        explainedItem(t('category'), info.category),
        explainedItem(t('code'), info.detail)));
    }
    return out;
  }

  function renderStatus(r) {
    if (!str(r.status)) return el('span', { class: 'muted' }, t('notInBounce'));
    var info = isObj(r.status_info) ? r.status_info : null;
    var out = [el('code', { class: 'code' }, str(r.status))];
    if (info) {
      var rfc = isObj(info.detail) && str(info.detail.rfc)
        ? el('span', { class: 'rfc' }, str(info.detail.rfc)) : null;
      out.push(el('ul', { class: 'explained' },
        explainedItem(t('class'), info['class']),
        explainedItem(t('subject'), info.subject),
        explainedItem(t('detail'), info.detail, rfc)));
    }
    return out;
  }

  function renderRule(rule) {
    if (!isObj(rule)) return el('span', { class: 'muted' }, t('noRule'));
    return [
      el('code', { class: 'code' }, str(rule.id)),
      str(rule.source) ? el('span', { class: 'source' }, str(rule.source)) : null,
      str(rule.title) ? el('span', { class: 'rule-title' }, str(rule.title)) : null
    ];
  }

  function renderMatch(m) {
    var won = m.won === true;
    var meta = [];
    if (typeof m.priority === 'number') meta.push(t('priority', { n: m.priority }));
    if (typeof m.constraints === 'number') meta.push(t('constraints', { n: m.constraints }));
    if (typeof m.position === 'number') meta.push(t('position', { n: m.position }));
    return el('li', { class: won ? 'won' : null, 'data-rule-id': str(m.id), 'data-won': won ? 'true' : 'false' },
      el('div', { class: 'match-head' },
        el('code', { class: 'code' }, str(m.id)),
        str(m.source) ? el('span', { class: 'source' }, str(m.source)) : null,
        el('span', { class: 'badge badge-small' }, str(m.reason)),
        won ? el('span', { class: 'chosen' }, '✓ ' + t('chosen')) : null),
      el('div', { class: 'muted' }, meta.join(' · ')),
      str(m.matched) ? el('q', { class: 'matched-text' }, str(m.matched)) : null);
  }

  function renderEntities(ents) {
    var dl = el('dl', { class: 'entities' });
    var any = false;
    SINGLE_ENTITIES.forEach(function (name) {
      var v = ents[name];
      if (typeof v !== 'string' || !v) return;
      any = true;
      append(dl, [
        el('dt', null, t('ent_' + name)),
        el('dd', { 'data-entity': name }, el('code', null, v))
      ]);
    });
    LIST_ENTITIES.forEach(function (name) {
      var list = arr(ents[name]).filter(function (v) { return typeof v === 'string' && v; });
      if (!list.length) return;
      any = true;
      append(dl, [
        el('dt', null, t('ent_' + name)),
        el('dd', null, el('ul', { class: 'entity-list', 'data-entity': name },
          list.map(function (v) { return el('li', null, el('code', null, v)); })))
      ]);
    });
    return el('section', { id: 'entities', class: 'card', 'aria-labelledby': 'entities-title' },
      el('h2', { id: 'entities-title' }, t('entities')),
      any ? dl : el('p', { class: 'muted' }, t('noEntities')));
  }

  /* ---------- SPF check (checks.spf) ---------- */

  var SPF_TONES = { pass: 'ok', fail: 'bad', permerror: 'bad', softfail: 'warn', temperror: 'warn', neutral: 'info', none: 'info' };
  var SPF_OUTCOMES = ['no-match', 'match', 'applied', 'not-reached', 'error'];
  var MAX_INDENT = 5;

  function sameDomain(a, b) {
    return str(a).replace(/\.$/, '').toLowerCase() === str(b).replace(/\.$/, '').toLowerCase();
  }

  function nonNegInt(v) {
    return typeof v === 'number' && isFinite(v) && v >= 0 ? Math.floor(v) : null;
  }

  /* The [start, end) string indices of the UTF-8 bytes offset .. offset+length of s (the API
     gives byte offsets), or null when they do not fall on character boundaries inside s. */
  function byteRange(s, offset, length) {
    offset = nonNegInt(offset);
    length = nonNegInt(length);
    if (offset === null || !length) return null;
    var bytes = 0;
    var start = -1;
    for (var i = 0; i <= s.length; i++) {
      if (bytes === offset) start = i;
      if (bytes === offset + length) return start >= 0 ? [start, i] : null;
      if (bytes > offset + length || i === s.length) return null;
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        bytes += 4;
        i++;
      } else {
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
    }
    return null;
  }

  /* Where the term ref ({term, offset, length}) sits in record: at its offset when the text
     there is the term, else at the first whole word equal to it; null when it is not there. */
  function termRange(record, ref) {
    var term = str(ref.term);
    if (!term) return null;
    var r = byteRange(record, ref.offset, ref.length);
    if (r && record.slice(r[0], r[1]).toLowerCase() === term.toLowerCase()) return r;
    var lower = record.toLowerCase();
    var want = term.toLowerCase();
    for (var at = lower.indexOf(want); at >= 0; at = lower.indexOf(want, at + 1)) {
      var before = at === 0 || /\s/.test(lower.charAt(at - 1));
      var after = at + want.length === lower.length || /\s/.test(lower.charAt(at + want.length));
      if (before && after) return [at, at + want.length];
    }
    return null;
  }

  function highlight(text, range, attrs) {
    if (!range) return text;
    return [text.slice(0, range[0]), el('mark', attrs, text.slice(range[0], range[1])), text.slice(range[1])];
  }

  function isStep(step, ref) {
    return sameDomain(step.domain, ref.domain) && step.term === ref.term &&
      step.offset === ref.offset && (typeof ref.depth !== 'number' || step.depth === ref.depth);
  }

  /* The term of the evaluated domain's own record (depth 0) through which the evaluation
     reached ref, a term in another domain's record: the nearest depth-0 step before ref in the
     trace (the trace lists the terms in evaluation order, included records right after the
     include). */
  function viaStep(trace, ref, domain) {
    for (var k = 0; k < trace.length; k++) {
      if (!isStep(trace[k], ref)) continue;
      for (var j = k - 1; j >= 0; j--) {
        if (trace[j].depth === 0) return sameDomain(trace[j].domain, domain) ? trace[j] : null;
      }
      return null;
    }
    return null;
  }

  function codeOf(v) {
    return el('code', { translate: 'no' }, str(v));
  }

  function serverText(tag, attrs, s, respLang) {
    attrs = attrs || {};
    attrs.lang = textLang(s, respLang);
    return el(tag, attrs, s);
  }

  /* The "SPF check (live DNS)" section for checks.spf (SpfCheck): in result card `id`, or a card
     of the "check a sender" answer (ctx.sender). */
  function renderSpf(spf, id, respLang, ctx) {
    var sender = !!(ctx && ctx.sender);
    var checked = spf.status !== 'not_checked';
    var result = str(spf.result);
    var domain = str(spf.domain);
    var ip = str(spf.ip);
    var tone = checked ? (SPF_TONES[result] || 'info') : 'off';
    var record = typeof spf.record === 'string' && spf.record !== '' ? spf.record : null;
    var dt = isObj(spf.decisive_term) && str(spf.decisive_term.term) ? spf.decisive_term : null;
    var trace = arr(spf.trace).filter(isObj);
    var titleId = id + '-spf-title';
    var parts = [el('h3', { id: titleId }, t('spfTitle'))];
    // what DNS says now against the bounce's claim (null without a bounce)
    var summary = str(spf.summary);
    if (summary) parts.push(serverText('p', { class: 'check-summary', 'data-field': 'spf-summary' }, summary, respLang));

    // The verdict: a badge and what it means. Not checked is grey and says it is not a failure.
    var meaning;
    if (!checked && !domain) {
      // a check that was not started (the DNS canary found the resolver answering wrongly):
      // only its status and why, no query to name
      meaning = t('spfNotStartedMeaning');
    } else if (!checked) {
      meaning = tn('spfNotCheckedMeaning', { domain: codeOf(domain), ip: codeOf(ip) });
    } else if (sender && result === 'temperror') {
      meaning = t('spfMeaningSender_temperror');
    } else if (hasText('spfMeaning_' + result)) {
      meaning = tn('spfMeaning_' + result, { domain: codeOf(domain), ip: codeOf(ip) });
    } else {
      meaning = t('spfMeaningOther', { result: result });
    }
    parts.push(el('div', { class: 'spf-verdict' },
      el('span', {
        class: 'spf-badge spf-badge-' + tone,
        'data-field': 'spf-result',
        'data-value': checked ? result : 'not_checked'
      }, checked ? t('spfBadge', { result: result }) : t('spfNotChecked')),
      ' ',
      el('p', { class: 'spf-meaning', 'data-field': 'spf-meaning' }, meaning)));

    if (!checked) {
      var why = str(spf.not_checked_reason);
      parts.push(el('p', { class: 'spf-not-checked', 'data-field': 'spf-not-checked-reason' },
        el('span', { class: 'k' }, t('spfNotCheckedWhy')), ' ',
        why ? serverText('span', null, why, respLang) : t('spfNotCheckedUnknown')));
    } else if (ip && domain) {
      parts.push(el('p', { class: 'spf-query' }, tn('spfQuery', { ip: codeOf(ip), domain: codeOf(domain) })));
    }

    // The record, with the decisive term highlighted when it is in this record, or else the
    // include/redirect that leads to it.
    var inRecord = dt && sameDomain(dt.domain, domain);
    var range = null;
    var via = null;
    var viaRange = null;
    if (record !== null) {
      if (inRecord) {
        range = termRange(record, dt);
      } else if (dt) {
        via = viaStep(trace, dt, domain);
        viaRange = via ? termRange(record, via) : null;
      }
      parts.push(el('p', { class: 'spf-label' }, tn('spfRecordOf', { domain: codeOf(domain) })));
      parts.push(el('pre', { class: 'spf-record', 'data-field': 'spf-record', translate: 'no' },
        range
          ? highlight(record, range, { class: 'spf-term', 'data-field': 'spf-decisive', 'data-value': str(dt.term) })
          : highlight(record, viaRange, { class: 'spf-term spf-term-via', 'data-field': 'spf-via', 'data-value': via ? str(via.term) : null })));
    } else if (checked && result === 'none') {
      parts.push(el('p', { class: 'spf-label' }, tn('spfNoRecord', { domain: codeOf(domain) })));
    }

    if (dt) {
      var note;
      if (inRecord) {
        note = tn(range ? 'spfDecidedHere' : 'spfDecided', { term: codeOf(dt.term) });
      } else {
        note = [tn('spfDecidedIn', { term: codeOf(dt.term), domain: codeOf(dt.domain), evaluated: codeOf(domain) })];
        if (viaRange) note.push(' ', tn('spfDecidedVia', { evaluated: codeOf(domain), via: codeOf(via.term) }));
      }
      parts.push(el('p', {
        class: 'spf-decisive-note',
        'data-field': 'spf-decisive-note',
        'data-value': str(dt.term),
        'data-domain': str(dt.domain)
      }, note));
    } else if (checked && record !== null) {
      parts.push(el('p', { class: 'spf-decisive-note', 'data-field': 'spf-decisive-note' }, t('spfNoDecisive')));
    }

    var reason = str(spf.reason);
    if (reason) {
      parts.push(el('p', { class: 'spf-reason', 'data-field': 'spf-reason' },
        el('span', { class: 'k' }, t(checked ? 'spfReason' : 'spfNotCheckedDetail')), ' ',
        serverText('span', null, reason, respLang)));
    }
    if (!checked) parts.push(el('p', { class: 'spf-retry muted' }, t(sender ? 'checkRetrySender' : 'spfNotCheckedRetry')));
    var explanation = str(spf.explanation);
    if (result === 'fail' && explanation) {
      parts.push(el('p', { class: 'spf-explanation', 'data-field': 'spf-explanation' },
        el('span', { class: 'k' }, t('spfExplanation')), ' ', serverText('q', null, explanation, respLang)));
    }

    var lookups = nonNegInt(spf.lookups);
    var voids = nonNegInt(spf.void_lookups);
    if (lookups !== null && (checked || trace.length || lookups > 0)) {
      parts.push(el('p', { class: 'spf-counts' },
        el('span', { class: 'spf-count' + (lookups > 10 ? ' is-over' : ''), 'data-field': 'spf-lookups', 'data-value': lookups },
          t('spfLookups', { n: lookups }), lookups > 10 ? ' — ' + t('spfOverLimit') : null),
        voids !== null ? ' ' : null,
        voids !== null ? el('span', { class: 'spf-count' + (voids > 2 ? ' is-over' : ''), 'data-field': 'spf-void-lookups', 'data-value': voids },
          t('spfVoidLookups', { n: voids }), voids > 2 ? ' — ' + t('spfOverLimit') : null) : null));
    }

    if (trace.length) parts.push(renderSpfTrace(trace, dt, domain, id, respLang));
    if (isObj(spf.fix)) parts.push(renderSpfFix(spf.fix, domain, id, respLang));

    return el('section', {
      id: sender ? id + '-spf' : null,
      class: 'spf spf-tone-' + tone,
      'data-field': 'spf',
      'data-check': 'spf',
      'data-status': checked ? 'checked' : 'not_checked',
      'data-result': result,
      'aria-labelledby': titleId
    }, parts);
  }

  /* The trace: one item per evaluated term, indented by depth, with a small heading item
     where the evaluation enters another domain's record (or comes back). */
  function renderSpfTrace(trace, dt, domain, id, respLang) {
    var titleId = id + '-spf-trace-title';
    var items = [];
    var prevDomain = domain;
    var prevDepth = 0;
    trace.forEach(function (step) {
      var depth = nonNegInt(step.depth) || 0;
      var indent = ' spf-d' + Math.min(depth, MAX_INDENT);
      var stepDomain = str(step.domain);
      if (!sameDomain(stepDomain, prevDomain) || depth !== prevDepth) {
        items.push(el('li', { class: 'spf-trace-domain' + indent, 'data-domain': stepDomain, 'data-depth': depth },
          tn('spfTraceRecord', { domain: codeOf(stepDomain) })));
      }
      prevDomain = stepDomain;
      prevDepth = depth;

      var outcome = str(step.outcome);
      var known = SPF_OUTCOMES.indexOf(outcome) >= 0;
      var decisive = !!dt && isStep(step, dt);
      var lookup = str(step.lookup);
      var found = str(step.found);
      items.push(el('li', {
        class: 'spf-step' + indent + (decisive ? ' is-decisive' : ''),
        'data-term': str(step.term),
        'data-depth': depth,
        'data-domain': stepDomain,
        'data-outcome': outcome,
        'data-decisive': decisive ? 'true' : null
      },
        // The spaces keep the parts apart in the text (and for screen readers).
        el('div', { class: 'spf-step-head' },
          el('code', { class: 'spf-step-term', translate: 'no' }, str(step.term)), ' ',
          el('span', { class: 'spf-outcome spf-outcome-' + (known ? outcome : 'other') },
            known ? t('spfOutcome_' + outcome) : outcome),
          decisive ? [' ', el('span', { class: 'spf-decisive-tag' }, t('spfDecisive'))] : null),
        lookup ? [' ', el('div', { class: 'spf-step-detail' },
          el('span', { class: 'k' }, t('spfLookedUp') + ':'), ' ', codeOf(lookup))] : null,
        found ? [' ', el('div', { class: 'spf-step-detail' },
          el('span', { class: 'k' }, t('spfFound') + ':'), ' ', serverText('span', null, found, respLang))] : null));
    });
    return el('div', { class: 'spf-trace-box' },
      el('h4', { id: titleId }, t('spfTrace')),
      el('ul', { class: 'spf-trace', 'data-field': 'spf-trace', 'aria-labelledby': titleId }, items));
  }

  /* A suggested fix (spf.fix: record, added, why, warning; all optional). */
  function renderSpfFix(fix, domain, id, respLang) {
    var record = str(fix.record);
    var added = str(fix.added);
    var why = str(fix.why);
    var warning = str(fix.warning);
    if (!record && !added && !why && !warning) return null;
    var titleId = id + '-spf-fix-title';
    var addedRange = record && added ? termRange(record, { term: added }) : null;
    if (record && added && !addedRange) {
      var at = record.indexOf(added);
      if (at >= 0) addedRange = [at, at + added.length];
    }
    return el('div', { class: 'spf-fix', 'data-field': 'spf-fix', role: 'group', 'aria-labelledby': titleId },
      el('h4', { id: titleId }, t('spfFix')),
      record ? el('p', { class: 'spf-label' }, tn('spfFixRecord', { domain: codeOf(domain) })) : null,
      record ? el('pre', { class: 'spf-record', 'data-field': 'spf-fix-record', translate: 'no' },
        highlight(record, addedRange, { class: 'spf-term spf-term-added', 'data-field': 'spf-fix-added-term' })) : null,
      added ? el('p', { 'data-field': 'spf-fix-added', 'data-value': added },
        el('span', { class: 'k' }, t('spfFixAdded')), ' ', codeOf(added)) : null,
      why ? serverText('p', { class: 'spf-fix-why', 'data-field': 'spf-fix-why' }, why, respLang) : null,
      warning ? el('p', { class: 'spf-warning', 'data-field': 'spf-fix-warning' },
        el('strong', null, t('spfFixWarning')), ' ', serverText('span', null, warning, respLang)) : null);
  }

  /* ---------- the other live checks (checks.dmarc, .dkim, .ptr, .dnsbl, .mx) ---------- */

  var LEVELS = ['error', 'warning', 'info'];
  var CHECK_VIEWS = { dmarc: viewDmarc, dkim: viewDkim, ptr: viewPtr, dnsbl: viewDnsbl, mx: viewMx };

  /* The "Live checks" card of a diagnosis: the checks that have no place in a result card. */
  function renderChecks(checks, names, respLang) {
    return el('section', { id: 'checks', class: 'card', 'aria-labelledby': 'checks-title' },
      el('h2', { id: 'checks-title' }, t('checks')),
      el('p', { class: 'checks-lead' }, t('checksLead')),
      names.map(function (name) {
        return renderCheckCard(name, checks[name], { id: 'checks', respLang: respLang });
      }));
  }

  /* One live check as a card: its name, a verdict badge (grey "Not checked" with the reason when
     it could not be made, never a problem), the summary sentence, the facts DNS gave and the
     findings. ctx: {id: prefix of the element ids, respLang, sender: true on the "check a
     sender" answer}. A check the page has no view for shows its name, status, summary and
     findings only. */
  function renderCheckCard(name, c, ctx) {
    c = isObj(c) ? c : {};
    var safe = str(name).replace(/[^A-Za-z0-9_-]/g, '_');
    if (name === 'spf') return renderSpf(c, ctx.id, ctx.respLang, ctx);
    var sender = !!ctx.sender;
    var checked = c.status !== 'not_checked';
    var view = hasOwn(CHECK_VIEWS, name) ? CHECK_VIEWS[name](c, checked) : null;
    var problems = checked ? arr(c.problems).filter(isObj) : [];
    var tone = !checked ? 'off' : (view && view.tone) || worstTone(problems);
    var id = ctx.id + '-' + safe;
    var titleId = id + '-title';
    var summary = str(c.summary);
    var reason = str(c.not_checked_reason);
    var badge = null;
    if (!checked) {
      badge = el('span', { class: 'check-badge tone-off', 'data-field': 'check-verdict', 'data-value': 'not_checked' },
        t('checkNotChecked'));
    } else if (view) {
      badge = el('span', { class: 'check-badge tone-' + tone, 'data-field': 'check-verdict', 'data-value': view.value },
        view.verdict);
    }
    var facts = view ? [view.subject, checked ? view.facts : null] : [];
    var hasFacts = facts.some(function (f) { return f && (!Array.isArray(f) || f.length); });

    return el('section', {
      id: id,
      class: 'check check-tone-' + tone,
      'data-check': name,
      'data-status': checked ? 'checked' : 'not_checked',
      'aria-labelledby': titleId
    },
      el('div', { class: 'check-head' },
        el('h3', { id: titleId }, hasText('checkName.' + name) ? t('checkName.' + name) : name),
        badge ? [' ', badge] : null),
      summary ? serverText('p', { class: 'check-summary', 'data-field': 'check-summary' }, summary, ctx.respLang) : null,
      hasFacts ? el('dl', { class: 'facts check-facts' }, facts) : null,
      checked ? null : [
        el('p', { class: 'check-not-checked-meaning' }, t('checkNotCheckedMeaning')),
        el('p', { class: 'check-not-checked', 'data-field': 'check-not-checked' },
          el('span', { class: 'k' }, t('checkNotCheckedWhy')), ' ',
          reason ? serverText('span', null, reason, ctx.respLang) : t('checkNotCheckedUnknown')),
        el('p', { class: 'check-retry' }, t(sender ? 'checkRetrySender' : 'checkRetry'))
      ],
      checked && view ? view.more : null,
      problems.length ? renderProblems(problems, id, ctx.respLang) : null);
  }

  /* The tone of a check that ran: that of its worst finding (error: bad, warning: warn), else ok. */
  function worstTone(problems) {
    var tone = 'ok';
    problems.forEach(function (p) {
      if (p.level === 'error') tone = 'bad';
      else if (p.level === 'warning' && tone !== 'bad') tone = 'warn';
    });
    return tone;
  }

  /* The verdict of a check: the first of cases ([holds, value, text]) that holds, as
     {value, verdict}; the last case should always hold. */
  function verdictOf(cases) {
    for (var i = 0; i < cases.length; i++) {
      if (cases[i][0]) return { value: cases[i][1], verdict: cases[i][2] };
    }
    return { value: '', verdict: '' };
  }

  /* The findings: one item each, its level as a badge (words, not colour alone), its text. */
  function renderProblems(problems, id, respLang) {
    var titleId = id + '-problems-title';
    return el('div', { class: 'check-problems-box' },
      el('h4', { id: titleId }, t('checkFindings')),
      el('ul', { class: 'check-problems', 'data-field': 'check-problems', 'aria-labelledby': titleId },
        problems.map(function (p) {
          var level = str(p.level);
          var known = LEVELS.indexOf(level) >= 0;
          return el('li', { class: 'problem', 'data-code': str(p.code), 'data-level': level },
            el('span', { class: 'level level-' + (known ? level : 'info'), 'data-field': 'problem-level' },
              known ? t('level_' + level) : level),
            ' ',
            serverText('span', { class: 'problem-text' }, str(p.text), respLang));
        })));
  }

  /* A small coloured label: tone ok, bad, warn, info or off (grey: not checked, not asked). */
  function pill(tone, text, attrs) {
    attrs = attrs || {};
    attrs['class'] = 'pill-small tone-' + tone + (attrs['class'] ? ' ' + attrs['class'] : '');
    return el('span', attrs, text);
  }

  /* true / false / null (could not be checked) in words, as a pill. */
  function yesNo(v, good) {
    if (v === null || v === undefined) return pill('off', t('notCheckedShort'));
    var ok = good === undefined ? v : v === good;
    return pill(ok ? 'ok' : 'bad', t(v ? 'yes' : 'no'));
  }

  /* The parts that are there, a space between each two. */
  function spaced(parts) {
    var out = [];
    parts.forEach(function (p) {
      if (p === null || p === undefined || p === '') return;
      if (out.length) out.push(' ');
      out.push(p);
    });
    return out;
  }

  function codeList(values) {
    var out = [];
    values.forEach(function (v, i) {
      if (i) out.push(' ');
      out.push(codeOf(v));
    });
    return out;
  }

  /* An http(s) URL as it may become a link, else null: never a javascript:, data: or other
     scheme, whatever the answer holds. */
  function httpUrl(s) {
    if (typeof s !== 'string' || !/^https?:\/\//i.test(s)) return null;
    try {
      var u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  /* A table: a caption, column heads, one row per item. On a narrow screen each row stacks its
     cells, each under its label (for the eye; screen readers have the column heads, and the
     explicit roles keep the table a table for them when CSS changes its display).
     cols: [{key, label}]; rows: [{attrs, cells: {key: content}}]; the first column heads its row. */
  function dataTable(field, caption, cols, rows) {
    return el('div', { class: 'table-wrap' },
      el('table', { class: 'data-table', 'data-field': field, role: 'table' },
        el('caption', null, caption),
        el('thead', { role: 'rowgroup' }, el('tr', { role: 'row' }, cols.map(function (c) {
          return el('th', { scope: 'col', role: 'columnheader', class: 'col-' + c.key }, c.label);
        }))),
        el('tbody', { role: 'rowgroup' }, rows.map(function (r) {
          r.attrs.role = 'row';
          return el('tr', r.attrs, cols.map(function (c, i) {
            var content = r.cells[c.key];
            var empty = content === null || content === undefined || content === '' ||
              (Array.isArray(content) && !content.some(function (x) { return x !== null && x !== undefined && x !== ''; }));
            return el(i === 0 ? 'th' : 'td', {
              scope: i === 0 ? 'row' : null,
              role: i === 0 ? 'rowheader' : 'cell',
              class: 'col-' + c.key
            },
              el('span', { class: 'cell-label', 'aria-hidden': 'true' }, c.label),
              empty ? el('span', { class: 'muted' }, '—') : el('div', { class: 'cell-value' }, content));
          }));
        }))));
  }

  /* ---- MX: where mail to the domain goes ---- */

  var MX_TONES = { resolved: 'ok', cname: 'warn', no_address: 'bad', not_checked: 'off', ip_literal: 'warn' };

  function viewMx(c, checked) {
    var domain = str(c.domain);
    var subject = domain ? fact(t('mxDomain'), 'mx-domain', domain, codeOf(domain)) : null;
    if (!checked) return { subject: subject };
    var mx = arr(c.mx).filter(isObj);
    var omitted = nonNegInt(c.omitted) || 0;
    var v = verdictOf([
      [c.null_mx === true, 'null_mx', t('mxVerdictNull')],
      [!mx.length, 'none', t('mxVerdictNone')],
      [c.implicit === true, 'implicit', t('mxVerdictImplicit')],
      [true, 'mx', plural('mxVerdictServers', mx.length + omitted, { n: mx.length + omitted })]
    ]);
    var facts = [];
    if (c.null_mx === true) facts.push(fact(t('mxNull'), 'mx-null', 'true', t('mxNullYes')));
    if (c.implicit === true) facts.push(fact(t('mxImplicit'), 'mx-implicit', 'true', t('mxImplicitYes')));

    var more = null;
    if (mx.length) {
      var cols = [
        { key: 'host', label: t('mxColHost') },
        { key: 'preference', label: t('mxColPreference') },
        { key: 'status', label: t('mxColStatus') },
        { key: 'addresses', label: t('mxColAddresses') }
      ];
      var rows = mx.map(function (x) {
        var status = str(x.status);
        var known = hasOwn(MX_TONES, status);
        var addrs = arr(x.addresses).filter(function (a) { return typeof a === 'string' && a; });
        var extra = nonNegInt(x.addresses_omitted) || 0;
        var why = str(x.not_checked_reason);
        return {
          attrs: { 'data-host': str(x.host), 'data-preference': str(x.preference), 'data-status': status },
          cells: {
            host: codeOf(x.host),
            preference: nonNegInt(x.preference) !== null ? String(x.preference) : '',
            status: [
              pill(known ? MX_TONES[status] : 'info', known ? t('mxStatus_' + status) : status, { 'data-field': 'mx-status' }),
              str(x.alias_of) ? [' ', el('span', { class: 'cell-note' }, tn('mxAliasOf', { host: codeOf(x.alias_of) }))] : null,
              why ? [' ', serverText('span', { class: 'cell-note' }, why, null)] : null
            ],
            addresses: addrs.length ? [codeList(addrs),
              extra ? [' ', el('span', { class: 'cell-note' }, plural('moreAddresses', extra, { n: extra }))] : null] : null
          }
        };
      });
      more = [dataTable('mx-exchanges', t('mxTable'), cols, rows),
        omitted ? el('p', { class: 'check-note', 'data-field': 'mx-omitted' }, plural('mxOmitted', omitted, { n: omitted })) : null];
    }
    return { verdict: v.verdict, value: v.value, subject: subject, facts: facts, more: more };
  }

  /* ---- PTR: the reverse DNS of the sending IP ---- */

  function viewPtr(c, checked) {
    var ip = str(c.ip);
    var subject = ip ? fact(t('ptrIp'), 'ptr-ip', ip, codeOf(ip)) : null;
    if (!checked) return { subject: subject };
    var names = arr(c.names).filter(isObj);
    var omitted = nonNegInt(c.names_omitted) || 0;
    var v = verdictOf([
      [!names.length, 'none', t('ptrVerdictNone')],
      [c.fcrdns === true, 'confirmed', t('ptrVerdictConfirmed')],
      [c.fcrdns === false, 'not_confirmed', t('ptrVerdictNotConfirmed')],
      [true, 'unknown', t('ptrVerdictUnknown')]
    ]);
    var facts = [];
    var reverse = str(c.reverse);
    if (reverse) facts.push(fact(t('ptrReverse'), 'ptr-reverse', reverse, codeOf(reverse)));
    var reserved = str(c.reserved);
    if (reserved) facts.push(fact(t('ptrReserved'), 'ptr-reserved', reserved, codeOf(reserved)));

    facts.push(fact(t('ptrNames'), 'ptr-names', String(names.length), names.length
      ? el('ul', { class: 'check-list' }, names.map(function (n) {
        var addrs = arr(n.addresses).filter(function (a) { return typeof a === 'string' && a; });
        var why = str(n.not_checked_reason);
        var confirmed = n.confirmed === true ? 'true' : n.confirmed === false ? 'false' : 'null';
        return el('li', { 'data-name': str(n.name), 'data-confirmed': confirmed },
          codeOf(n.name), ' ',
          n.confirmed === true ? pill('ok', tn('ptrConfirmed', { ip: ip }), { 'data-field': 'ptr-confirmed' })
            : n.confirmed === false ? pill('bad', tn('ptrNotConfirmed', { ip: ip }), { 'data-field': 'ptr-confirmed' })
              : pill('off', t('notCheckedShort'), { 'data-field': 'ptr-confirmed' }),
          why ? [' ', serverText('span', { class: 'cell-note' }, why, null)] : null,
          addrs.length ? [' ', el('span', { class: 'sub' }, el('span', { class: 'k' }, t('ptrAddresses')), ' ', codeList(addrs))] : null);
      }), omitted ? el('li', { class: 'muted' }, plural('ptrNamesOmitted', omitted, { n: omitted })) : null)
      : t('ptrNoNames')));

    if (names.length) {
      facts.push(fact(t('ptrFcrdns'), 'ptr-fcrdns', c.fcrdns === true ? 'true' : c.fcrdns === false ? 'false' : 'null',
        yesNo(c.fcrdns === true || c.fcrdns === false ? c.fcrdns : null)));
      var generic = c.dynamic === true ? 'dynamic' : c.generic === true ? 'generic' : 'false';
      facts.push(fact(t('ptrGeneric'), 'ptr-generic', generic,
        generic === 'dynamic' ? [pill('bad', t('yes')), ' ', t('ptrDynamicYes')]
          : generic === 'generic' ? [pill('warn', t('yes')), ' ', t('ptrGenericYes')]
            : pill('ok', t('no'))));
    }

    if (isObj(c.helo)) {
      var h = c.helo;
      var why = str(h.not_checked_reason);
      facts.push(fact(t('ptrHelo'), 'ptr-helo', str(h.name), [
        codeOf(h.name), ' ',
        el('ul', { class: 'check-list sub-facts' },
          h.literal === true ? el('li', { 'data-field': 'helo-literal' }, t('heloLiteral')) : null,
          h.literal === true ? null : el('li', { 'data-field': 'helo-fqdn', 'data-value': String(h.fqdn === true) },
            el('span', { class: 'k' }, t('heloFqdn')), ' ', yesNo(h.fqdn === true)),
          el('li', { 'data-field': 'helo-matches-ptr', 'data-value': String(h.matches_ptr) },
            el('span', { class: 'k' }, t('heloMatchesPtr')), ' ', yesNo(h.matches_ptr)),
          el('li', { 'data-field': 'helo-resolves', 'data-value': String(h.resolves_to_ip) },
            el('span', { class: 'k' }, tn('heloResolves', { ip: codeOf(ip) })), ' ', yesNo(h.resolves_to_ip)),
          why ? el('li', null, el('span', { class: 'k' }, t('checkNotCheckedWhy')), ' ', serverText('span', null, why, null)) : null)
      ]));
    }
    return { verdict: v.verdict, value: v.value, subject: subject, facts: facts };
  }

  /* ---- DNSBL: the blocklists ---- */

  var DNSBL_TONES = { listed: 'bad', not_listed: 'ok', refused: 'off', timeout: 'off', error: 'off',
    unhealthy: 'off', not_queried: 'off', not_configured: 'off' };
  var DNSBL_RANK = { listed: 0, not_configured: 1, refused: 2, timeout: 2, error: 2, unhealthy: 3 };

  function viewDnsbl(c, checked) {
    var lists = arr(c.lists).filter(isObj);
    var targets = [];
    lists.forEach(function (l) {
      var target = str(l.target);
      if (target && targets.indexOf(target) < 0) targets.push(target);
    });
    var subject = targets.length ? fact(t('dnsblAsked'), 'dnsbl-targets', targets.join(' '), codeList(targets)) : null;
    if (!checked) return { subject: subject };

    var n = lists.filter(function (l) { return l.status === 'listed' && l.kind !== 'allow'; }).length || 1;
    var v = verdictOf([
      [c.listed === true, 'listed', plural('dnsblVerdictListed', n, { n: n })],
      [c.allowlisted === true, 'allowlisted', t('dnsblVerdictAllow')],
      [true, 'not_listed', t('dnsblVerdictClean')]
    ]);

    // The lists with something to say (a listing, a list the bounce names, an answer that is
    // none) in a table, listings first; the quiet rest (not listed, not asked) folded away.
    var notable = [];
    var quiet = [];
    lists.forEach(function (l) {
      if (l.named === true || hasOwn(DNSBL_RANK, str(l.status))) notable.push(l);
      else quiet.push(l);
    });
    notable.sort(function (a, b) {
      var ra = hasOwn(DNSBL_RANK, str(a.status)) ? DNSBL_RANK[a.status] : 4;
      var rb = hasOwn(DNSBL_RANK, str(b.status)) ? DNSBL_RANK[b.status] : 4;
      return ra - rb;
    });
    var several = targets.length > 1;
    var more = [];
    if (notable.length) {
      more.push(dataTable('dnsbl-lists', t('dnsblTable'), [
        { key: 'list', label: t('dnsblColList') },
        { key: 'answer', label: t('dnsblColAnswer') },
        { key: 'says', label: t('dnsblColSays') },
        { key: 'delist', label: t('dnsblColDelist') }
      ], notable.map(function (l) { return dnsblRow(l, several); })));
    }
    if (quiet.length) {
      more.push(el('details', { class: 'more dnsbl-quiet', 'data-field': 'dnsbl-quiet' },
        el('summary', null, plural('dnsblQuiet', quiet.length, { n: quiet.length })),
        el('ul', { class: 'check-list' }, quiet.map(function (l) {
          var status = str(l.status);
          var detail = str(l.detail);
          return el('li', { 'data-zone': str(l.zone), 'data-status': status },
            dnsblName(l, several), ' ',
            pill(DNSBL_TONES[status] || 'info', hasText('dnsblStatus_' + status) ? t('dnsblStatus_' + status) : status),
            detail ? [' ', serverText('span', { class: 'cell-note' }, detail, null)] : null);
        }))));
    }
    return { verdict: v.verdict, value: v.value, tone: c.listed === true ? 'bad' : null, subject: subject, facts: [], more: more };
  }

  function dnsblName(l, several) {
    var name = str(l.name);
    var zone = str(l.zone);
    return [
      name ? el('strong', { class: 'dnsbl-name' }, name) : null,
      name ? ' ' : null,
      codeOf(zone),
      l.kind === 'allow' ? [' ', pill('info', t('dnsblAllowKind'))] : null,
      l.named === true ? [' ', pill('info', t('dnsblNamed'), { 'data-field': 'dnsbl-named' })] : null,
      several && str(l.target) ? [' ', el('span', { class: 'cell-note' }, tn('dnsblAbout', { target: codeOf(l.target) }))] : null
    ];
  }

  function dnsblRow(l, several) {
    var status = str(l.status);
    var allow = l.kind === 'allow';
    var tone = status === 'listed' && allow ? 'ok' : DNSBL_TONES[status] || 'info';
    var codes = arr(l.codes).filter(function (s) { return typeof s === 'string' && s; });
    var detail = str(l.detail);
    var meaning = str(l.meaning);
    var txt = str(l.txt);
    var note = str(l.note);
    var delist = status === 'listed' && !allow ? httpUrl(l.delist) : null;
    return {
      attrs: {
        'data-zone': str(l.zone),
        'data-status': status,
        'data-kind': str(l.kind) || null,
        'data-named': l.named === true ? 'true' : null
      },
      cells: {
        list: dnsblName(l, several),
        answer: [
          pill(tone, hasText('dnsblStatus_' + status) ? t('dnsblStatus_' + status) : status, { 'data-field': 'dnsbl-status' }),
          codes.length ? [' ', el('span', { 'data-field': 'dnsbl-codes' }, codeList(codes))] : null,
          detail ? [' ', el('span', { class: 'sub', 'data-field': 'dnsbl-detail' }, serverText('span', null, detail, null))] : null
        ],
        // The spaces keep the parts apart in the text (and for screen readers).
        says: spaced([
          meaning ? serverText('span', { class: 'sub', 'data-field': 'dnsbl-meaning' }, meaning, null) : null,
          txt ? el('span', { class: 'sub', 'data-field': 'dnsbl-txt' },
            el('span', { class: 'k' }, t('dnsblTxt')), ' ', el('q', { translate: 'no' }, txt)) : null,
          note ? serverText('span', { class: 'sub', 'data-field': 'dnsbl-note' }, note, null) : null
        ]),
        delist: delist ? el('a', {
          href: delist,
          rel: 'noopener noreferrer',
          target: '_blank',
          'data-field': 'dnsbl-delist'
        }, tn('dnsblDelist', { list: str(l.name) || str(l.zone) }),
          el('span', { class: 'visually-hidden' }, ' ' + t('newTab'))) : null
      }
    };
  }

  /* ---- DMARC: the policy of the sender's domain ---- */

  function viewDmarc(c, checked) {
    var domain = str(c.domain);
    var subject = domain ? fact(t('dmarcDomain'), 'dmarc-domain', domain, codeOf(domain)) : null;
    if (!checked) return { subject: subject };
    var effective = str(c.effective_policy);
    var found = str(c.found_at);
    var org = str(c.org_domain);
    var facts = [];
    facts.push(fact(t('dmarcFoundAt'), 'dmarc-found-at', found, found
      ? [codeOf('_dmarc.' + found), sameDomain(found, domain) ? null
        : [' ', el('span', { class: 'desc' }, tn('dmarcOrgRecord', { domain: codeOf(org || found) }))]]
      : t('dmarcNotFound')));
    var record = str(c.record);
    if (record) facts.push(fact(t('dmarcRecord'), 'dmarc-record', null, el('pre', { class: 'check-record', translate: 'no' }, record)));
    [['policy', 'dmarcPolicy', 'dmarc-policy'], ['subdomain_policy', 'dmarcSubdomainPolicy', 'dmarc-subdomain-policy'],
      ['effective_policy', 'dmarcEffective', 'dmarc-effective-policy']].forEach(function (p) {
      var v = str(c[p[0]]);
      if (v) facts.push(fact(t(p[1]), p[2], v, policyText(v)));
    });
    var adkim = str(c.adkim);
    var aspf = str(c.aspf);
    if (adkim || aspf) {
      facts.push(fact(t('dmarcAlignment'), 'dmarc-alignment', null, el('ul', { class: 'check-list' },
        adkim ? el('li', { 'data-field': 'dmarc-adkim', 'data-value': adkim },
          el('span', { class: 'k' }, t('dmarcAdkim')), ' ', alignText(adkim)) : null,
        aspf ? el('li', { 'data-field': 'dmarc-aspf', 'data-value': aspf },
          el('span', { class: 'k' }, t('dmarcAspf')), ' ', alignText(aspf)) : null)));
    }
    if (nonNegInt(c.pct) !== null) facts.push(fact(t('dmarcPct'), 'dmarc-pct', String(c.pct), t('dmarcPctValue', { n: c.pct })));
    var rua = arr(c.rua).filter(function (s) { return typeof s === 'string' && s; });
    if (rua.length) facts.push(fact(t('dmarcRua'), 'dmarc-rua', null, codeList(rua)));
    return {
      verdict: effective ? t('dmarcVerdictPolicy', { policy: effective }) : t('dmarcVerdictNone'),
      value: effective || 'none_published',
      subject: subject,
      facts: facts
    };
  }

  function policyText(p) {
    return [codeOf(p), hasText('dmarcPolicy_' + p) ? [' ', el('span', { class: 'desc' }, t('dmarcPolicy_' + p))] : null];
  }

  function alignText(v) {
    return [codeOf(v), hasText('dmarcAlign_' + v) ? [' ', t('dmarcAlign_' + v)] : null];
  }

  /* ---- DKIM: the key the returned message's signature names ---- */

  function viewDkim(c, checked) {
    var name = str(c.name) || (str(c.selector) && str(c.domain) ? str(c.selector) + '._domainkey.' + str(c.domain) : '');
    var subject = name ? fact(t('dkimName'), 'dkim-name', name, codeOf(name)) : null;
    if (!checked) return { subject: subject };
    var record = str(c.record);
    var type = str(c.key_type);
    var bits = nonNegInt(c.key_bits);
    var v = verdictOf([
      [!record, 'missing', t('dkimVerdictMissing')],
      [c.revoked === true, 'revoked', t('dkimVerdictRevoked')],
      [!!type, 'key', t('dkimVerdictKey')],
      [true, 'unusable', t('dkimVerdictUnusable')]
    ]);
    var facts = [];
    if (record) {
      facts.push(fact(t('dkimRecord'), 'dkim-record', null, el('pre', { class: 'check-record', translate: 'no' }, record)));
      if (type) facts.push(fact(t('dkimKeyType'), 'dkim-key-type', type, codeOf(type)));
      if (bits) facts.push(fact(t('dkimKeySize'), 'dkim-key-bits', String(bits), plural('dkimBits', bits, { n: bits })));
      facts.push(fact(t('dkimRevoked'), 'dkim-revoked', String(c.revoked === true), yesNo(c.revoked === true, false)));
      facts.push(fact(t('dkimTesting'), 'dkim-testing', String(c.testing === true),
        c.testing === true ? pill('warn', t('yes')) : pill('ok', t('no'))));
    }
    return { verdict: v.verdict, value: v.value, subject: subject, facts: facts };
  }

  /* ---------- wiring ---------- */

  function init() {
    dom.form = document.getElementById('form');
    dom.bounce = document.getElementById('bounce');
    dom.diagnose = document.getElementById('diagnose');
    dom.diagnoseLabel = document.getElementById('diagnose-label');
    dom.lang = document.getElementById('lang');
    dom.error = document.getElementById('error');
    dom.results = document.getElementById('results');
    dom.file = document.getElementById('eml-file');
    dom.openFile = document.getElementById('open-file');
    dom.fileStatus = document.getElementById('file-status');
    dom.fileName = document.getElementById('file-name');
    dom.fileSize = document.getElementById('file-size');
    dom.senderForm = document.getElementById('sender-form');
    dom.senderIp = document.getElementById('sender-ip');
    dom.senderDomain = document.getElementById('sender-domain');
    dom.senderHelo = document.getElementById('sender-helo');
    dom.senderSubmit = document.getElementById('sender-submit');
    dom.senderSubmitLabel = document.getElementById('sender-submit-label');
    dom.senderError = document.getElementById('sender-error');
    dom.senderResults = document.getElementById('sender-results');

    /* the keys as the keyboard labels them: a text of the catalog, Mac's its own */
    if (isMac()) {
      var key = document.getElementById('shortcut-key');
      key.setAttribute('data-i18n', 'shortcutKeyMac');
      key.textContent = '⌘ Enter';
    }

    // The markup's English: what t() gives until the texts came (or when they cannot come).
    var labels = document.querySelectorAll('[data-i18n]');
    for (var k = 0; k < labels.length; k++) {
      i18n.markup[labels[k].getAttribute('data-i18n')] = labels[k].textContent;
    }
    var ariaLabels = document.querySelectorAll('[data-i18n-aria-label]');
    for (var a = 0; a < ariaLabels.length; a++) {
      i18n.markup[ariaLabels[a].getAttribute('data-i18n-aria-label')] = ariaLabels[a].getAttribute('aria-label');
    }
    start().catch(function () { showError({ key: 'errorTexts' }); });

    dom.form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      diagnose(dom.bounce.value);
    });

    dom.bounce.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey) && !ev.isComposing) {
        ev.preventDefault();
        if (!dom.diagnose.disabled) diagnose(dom.bounce.value);
      }
    });

    dom.bounce.addEventListener('input', function () {
      if (dom.bounce.getAttribute('aria-invalid') === 'true' && dom.bounce.value.trim()) {
        clearError();
      }
    });

    dom.senderForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      submitSender();
    });
    [dom.senderIp, dom.senderDomain, dom.senderHelo].forEach(function (input) {
      input.addEventListener('input', function () {
        if (input.getAttribute('aria-invalid') === 'true') clearSenderError();
      });
    });

    dom.lang.addEventListener('change', function () {
      var chosen = dom.lang.value;
      whenReady(function () { setLang(chosen); });
    });

    dom.openFile.addEventListener('click', function () {
      dom.file.click();
    });
    dom.file.addEventListener('change', function () {
      openFiles(dom.file.files);
      dom.file.value = ''; // so that choosing the same file again diagnoses it again
    });
    wireDrop();

    var examples = document.querySelectorAll('button.example');
    for (var i = 0; i < examples.length; i++) {
      examples[i].addEventListener('click', function (ev) {
        var n = parseInt(ev.currentTarget.getAttribute('data-example'), 10);
        if (!EXAMPLES[n]) return;
        dom.bounce.value = EXAMPLES[n];
        diagnose(EXAMPLES[n]);
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
