/*
 * bouncedoc web page. Plain script, no build step, no dependencies.
 *
 * Security: the bounce text and everything the API returns are hostile input. Nothing
 * here uses innerHTML, insertAdjacentHTML, document.write or eval; all data goes into the
 * page through textContent / createTextNode, and only fixed attribute names are set.
 * All JS lives in this file and all CSS in style.css, so the page works under the
 * server's Content-Security-Policy `default-src 'self'`.
 *
 * The page calls POST api/v1/diagnose?lang=en|ru&checks=auto (see openapi.yaml) and renders
 * the Diagnosis with the live DNS evidence the server found (checks). Pasted text goes as
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
 *   #checks                 live DNS checks the page has no own view for, only when `checks` has
 *                           such a check (checks.spf is shown in the result cards): per check a
 *                           section.check[data-check][data-status] with its name, why it was not
 *                           checked, [data-field="check-summary"] and ul[data-field="check-problems"]
 *                           (li[data-code][data-level])
 *   #input-info             size of the analysed input
 */
(function () {
  'use strict';

  var API_PATH = 'api/v1/diagnose';
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
    controller: null,
    lastInput: null,     // the input of the diagnosis on screen (for re-submitting on switch)
    lastError: null,     // {key, params, detail} of the message on screen, to re-translate
    pendingInput: null,  // the input of the request still running
    refocus: false,
    fileSize: null,      // size of the file named in #file-status
    dragDepth: 0,
    seq: 0
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
    setBusyLabel(dom.diagnose.disabled);
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
    if (state.controller && state.pendingInput !== null) {
      diagnose(state.pendingInput);
    } else if (state.lastInput !== null && dom.results.querySelector('.result')) {
      diagnose(state.lastInput);
    }
  }

  /* ---------- busy state and errors ---------- */

  function setBusyLabel(busy) {
    dom.diagnoseLabel.textContent = t(busy ? 'diagnosing' : 'diagnose');
  }

  function setBusy(busy) {
    var hadFocus = document.activeElement === dom.diagnose;
    dom.diagnose.disabled = busy;
    dom.form.classList.toggle('is-busy', busy);
    dom.form.setAttribute('aria-busy', busy ? 'true' : 'false');
    dom.results.setAttribute('aria-busy', busy ? 'true' : 'false');
    setBusyLabel(busy);
    // A disabled button drops focus; give it back when the request is over.
    if (busy && hadFocus) state.refocus = true;
    if (!busy && state.refocus) {
      state.refocus = false;
      if (!document.activeElement || document.activeElement === document.body) dom.diagnose.focus();
    }
  }

  function clearError() {
    state.lastError = null;
    clear(dom.error);
    dom.bounce.removeAttribute('aria-invalid');
  }

  /* err: {key, params, detail, invalid} */
  function showError(err) {
    state.lastError = err;
    clear(dom.error);
    var box = el('div', { class: 'error-box' },
      el('p', null,
        el('strong', null, t(err.key, err.params)),
        err.detail ? ' ' : null,
        err.detail ? el('span', { 'data-field': 'error-detail' }, err.detail) : null));
    dom.error.appendChild(box);
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
    if (state.controller) state.controller.abort();
    state.seq++;
    state.controller = null;
    state.pendingInput = null;
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
    var seq = state.seq;
    readBytes(file).then(function (bytes) {
      if (seq !== state.seq) return; // something newer was asked for meanwhile
      // The size is checked again on what was read (a file can change after it was chosen).
      if (bytes.byteLength > MAX_FILE_BYTES) {
        refuse({ key: 'errorTooLarge', params: { name: name, size: bytes.byteLength, max: MAX_FILE_BYTES } });
        return;
      }
      diagnose({ file: { name: name, size: bytes.byteLength, bytes: bytes } });
    }, function () {
      if (seq !== state.seq) return;
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
    if (state.controller) state.controller.abort();
    clearError();
    if (!input.file) showFile(null);
    if (!input.file && (!input.text || !input.text.trim())) {
      refuse({ key: 'errorEmpty', invalid: true });
      dom.bounce.focus();
      return Promise.resolve();
    }

    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    state.controller = controller;
    state.pendingInput = input;
    var seq = ++state.seq;
    var lang = state.lang;
    var timedOut = false;
    var timer = setTimeout(function () {
      timedOut = true;
      if (controller) controller.abort();
    }, TIMEOUT_MS);

    setBusy(true);

    // checks=auto (the API's default, asked for explicitly): the live DNS checks the
    // diagnosis calls for, e.g. SPF for an authentication failure.
    return fetch(API_PATH + '?lang=' + encodeURIComponent(lang) + '&checks=auto', {
      method: 'POST',
      headers: {
        'Content-Type': input.file ? 'message/rfc822' : 'application/json',
        'Accept': 'application/json, application/problem+json'
      },
      body: input.file ? input.file.bytes : JSON.stringify({ text: input.text }),
      signal: controller ? controller.signal : undefined,
      credentials: 'same-origin',
      cache: 'no-store'
    }).then(function (res) {
      var type = (res.headers.get('Content-Type') || '').toLowerCase();
      var isJson = type.indexOf('json') >= 0;
      var body = isJson ? res.json().catch(function () { return null; }) : Promise.resolve(null);
      return body.then(function (data) { return { res: res, data: data }; });
    }).then(function (r) {
      if (seq !== state.seq) return;
      if (!r.res.ok) {
        if (isObj(r.data) && (typeof r.data.detail === 'string' || typeof r.data.title === 'string')) {
          fail({ key: 'errorService', detail: str(r.data.detail) || str(r.data.title) });
        } else {
          fail({ key: 'errorHttp', params: { status: r.res.status } });
        }
        return;
      }
      if (!isObj(r.data) || !Array.isArray(r.data.results) || !r.data.results.length) {
        fail({ key: 'errorBadAnswer' });
        return;
      }
      try {
        renderDiagnosis(r.data, input);
        state.lastInput = input;
      } catch (e) {
        fail({ key: 'errorBadAnswer' });
      }
    }, function (e) {
      if (seq !== state.seq) return;
      if (e && e.name === 'AbortError' && !timedOut) return; // superseded by a newer request
      fail({ key: timedOut ? 'errorTimeout' : 'errorNetwork' });
    }).then(function () {
      clearTimeout(timer);
      if (seq === state.seq) {
        state.controller = null;
        state.pendingInput = null;
        setBusy(false);
      }
    });
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

    frag.appendChild(renderEntities(isObj(d.entities) ? d.entities : {}));

    var otherChecks = Object.keys(checks).filter(function (name) { return !(name === 'spf' && spf); });
    if (otherChecks.length) {
      frag.appendChild(renderChecks(checks, otherChecks));
    }

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

  /* The "SPF check (live DNS)" section of result card `id` for checks.spf (SpfCheck). */
  function renderSpf(spf, id, respLang) {
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

    // The verdict: a badge and what it means. Not checked is grey and says it is not a failure.
    var meaning;
    if (!checked && !domain) {
      // a check that was not started (the DNS canary found the resolver answering wrongly):
      // only its status and why, no query to name
      meaning = t('spfNotStartedMeaning');
    } else if (!checked) {
      meaning = tn('spfNotCheckedMeaning', { domain: codeOf(domain), ip: codeOf(ip) });
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
    if (!checked) parts.push(el('p', { class: 'spf-retry muted' }, t('spfNotCheckedRetry')));
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
      class: 'spf spf-tone-' + tone,
      'data-field': 'spf',
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

  function renderChecks(checks, names) {
    return el('section', { id: 'checks', class: 'card', 'aria-labelledby': 'checks-title' },
      el('h2', { id: 'checks-title' }, t('checks')),
      names.map(function (name) { return renderCheck(name, checks[name]); }));
  }

  /* One live check the page has no view of its own for: its name, its status, what it found
     against the bounce's claim, and its problems, each in the server's words. */
  function renderCheck(name, c) {
    c = isObj(c) ? c : {};
    var checked = c.status !== 'not_checked';
    var problems = Array.isArray(c.problems) ? c.problems.filter(isObj) : [];
    return el('section', { class: 'check', 'data-check': name, 'data-status': str(c.status) },
      el('h3', null, hasText('checkName.' + name) ? t('checkName.' + name) : name),
      checked ? null : el('p', { 'data-field': 'check-not-checked' },
        t('spfNotChecked') + ': ' + str(c.not_checked_reason)),
      c.summary ? el('p', { 'data-field': 'check-summary' }, str(c.summary)) : null,
      problems.length ? el('ul', { 'data-field': 'check-problems' }, problems.map(function (p) {
        return el('li', { 'data-code': str(p.code), 'data-level': str(p.level) }, str(p.text));
      })) : null);
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
