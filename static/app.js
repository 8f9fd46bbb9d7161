/*
 * bouncedoc web page. Plain script, no build step, no dependencies.
 *
 * Security: the bounce text and everything the API returns are hostile input. Nothing
 * here uses innerHTML, insertAdjacentHTML, document.write or eval; all data goes into the
 * page through textContent / createTextNode, and only fixed attribute names are set.
 * All JS lives in this file and all CSS in style.css, so the page works under the
 * server's Content-Security-Policy `default-src 'self'`.
 *
 * The page calls POST api/v1/diagnose?lang=en|ru with {"text": "..."} (see openapi.yaml)
 * and renders the Diagnosis.
 *
 * Stable hooks for tests (keep them when changing the page):
 *   #bounce                 the textarea with the pasted bounce
 *   #diagnose               the submit button; `disabled` while a request is running
 *   #lang                   <select> with the page language, values "en" / "ru"
 *                           (remembered in localStorage "bouncedoc.lang")
 *   #error                  role="alert" region; empty unless something went wrong
 *     [data-field="error-detail"]  the problem's `detail` (or `title`) from the API
 *   #results                the results container (aria-live="polite"); aria-busy="true"
 *                           while waiting; data-lang = language of the shown diagnosis
 *   button.example[data-example="0|1|2"]   "Try an example" buttons (fill and submit)
 *   .result                 one card per element of `results`, with lang = diagnosis.lang,
 *                           data-reason, data-permanent ("true"/"false"), data-fix-by
 *     [data-field="reason"]       badge with the reason, e.g. "authfailure"
 *     [data-field="title"]        the headline (h2)
 *     [data-field="permanent"]    "Permanent" / "Temporary" (translated); data-value
 *                                 "true"/"false"
 *     [data-field="permanent-source"]  what decided `permanent`; data-value = permanent_source
 *     [data-field="fix-by"]       fix_by_label; data-value = fix_by
 *     [data-field="summary"]      summary
 *     [data-field="explanation"]  explanation
 *     [data-field="fix"]          the <ol> of fix steps, one <li> per step
 *     [data-field="recipient"]    recipient (only when the result has one)
 *     [data-field="hard-bounce"]  "the address itself is bad" (only when hard_bounce)
 *     [data-field="reply-code"]   reply code and reply_code_info; data-value = code or ""
 *     [data-field="status"]       enhanced status code and status_info; data-value = code or ""
 *     [data-field="rule"]         matched rule id + title; data-value = rule id or ""
 *     [data-field="decision"]     why this reason was chosen
 *     [data-field="matched-rules"]  <details> listing all matched_rules (li[data-rule-id])
 *     [data-field="diagnostic"]   <details> with the diagnostic text
 *   #entities               card with the entities found (only non-empty ones are shown):
 *     [data-entity="sending_ip" | "sender_domain" | "remote_host" | "remote_ip"]  one value
 *     [data-entity="ips" | "domains" | "emails" | "hosts" | "blocklists" | "urls"]  a <ul>
 *   #anomalies              note listing input anomalies (li[data-anomaly]), when any
 *   #checks                 live DNS checks, only when the `checks` object is not empty
 *   #input-info             size of the analysed input
 */
(function () {
  'use strict';

  var API_PATH = 'api/v1/diagnose';
  var STORAGE_KEY = 'bouncedoc.lang';
  var TIMEOUT_MS = 60000;
  var LANGS = ['en', 'ru'];

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

  var I18N = {
    en: {
      pageTitle: 'bouncedoc — why did my email bounce?',
      heading: 'Why did my email bounce?',
      lead: 'Paste the bounce and find out what happened, whether it is permanent, who must fix it and how.',
      langLabel: 'Language',
      bounceLabel: 'Bounce message',
      bounceHelp: 'Paste the error from the returned email: one line such as “550 5.1.1 …” or the whole bounce.',
      diagnose: 'Diagnose',
      diagnosing: 'Diagnosing…',
      shortcutPrefix: 'or press',
      examplesLabel: 'Try an example:',
      example0: 'Sending IP not allowed (SPF)',
      example1: 'Address does not exist',
      example2: 'Mailbox over quota',
      resultsLabel: 'Diagnosis',
      footer: 'bouncedoc — self-hosted bounce diagnosis.',
      apiLink: 'API description (OpenAPI)',
      permanent: 'Permanent',
      temporary: 'Temporary',
      permanentHint: 'Sending the same message again will not help until something is changed.',
      temporaryHint: 'The sending server retries such failures; the message may still go through.',
      source_status: 'Decided by the enhanced status code.',
      source_reply_code: 'Decided by the reply code.',
      source_rule: 'Decided by the matched rule.',
      source_reason: 'The usual outcome for this kind of failure.',
      fixBy: 'Who must fix it',
      whatHappened: 'What happened',
      howToFix: 'How to fix it',
      facts: 'Details',
      recipient: 'Recipient',
      hardBounce: 'Bad address',
      hardBounceYes: 'Yes: the address itself does not work. Stop sending to it.',
      replyCode: 'Reply code',
      statusCode: 'Enhanced status code',
      rule: 'Matched rule',
      decision: 'Why this diagnosis',
      notInBounce: 'Not in the bounce',
      noRule: 'No rule matched the wording',
      class: 'Class',
      category: 'Category',
      code: 'Code',
      subject: 'Subject',
      detail: 'Detail',
      matchedRules: 'All matching rules ({n})',
      noMatchedRules: 'No rule matched the wording of this bounce.',
      chosen: 'chosen',
      priority: 'priority {n}',
      constraints: 'code constraints: {n}',
      position: 'at character {n}',
      diagnostic: 'Text that was analysed',
      multiple: '{n} failures were found in this bounce.',
      inputInfo: 'Analysed: {bytes} bytes, {lines} {linesWord}.',
      line: 'line',
      lines: 'lines',
      entities: 'Found in the bounce',
      noEntities: 'No IP addresses, domains, addresses or hosts were found in the text.',
      ent_sending_ip: 'Sending IP',
      ent_sender_domain: 'Sender domain',
      ent_remote_host: 'Receiving server',
      ent_remote_ip: 'Receiving server IP',
      ent_ips: 'IP addresses',
      ent_domains: 'Domains',
      ent_emails: 'Email addresses',
      ent_hosts: 'Mail servers',
      ent_blocklists: 'Blocklists',
      ent_urls: 'Links',
      anomaliesLabel: 'Note:',
      anomaly_repaired_utf8: 'invalid UTF-8 in the text was repaired.',
      anomaly_control_characters: 'control characters in the text were replaced by spaces.',
      anomaly_text_truncated: 'the text was too long; only its beginning was analysed.',
      anomaly_too_many_entities: 'the text names very many addresses; only the first ones are listed.',
      checks: 'Live checks',
      errorEmpty: 'Paste a bounce message first.',
      errorService: 'The service could not diagnose this:',
      errorNetwork: 'Could not reach the service. Check the connection and try again.',
      errorTimeout: 'The service took too long to answer. Try again.',
      errorHttp: 'The service answered with an error (HTTP {status}).',
      errorBadAnswer: 'The service sent an answer this page does not understand.'
    },
    ru: {
      pageTitle: 'bouncedoc — почему письмо вернулось?',
      heading: 'Почему письмо вернулось?',
      lead: 'Вставьте текст отказа и узнайте, что случилось, постоянная ли это ошибка, кто должен её исправить и как.',
      langLabel: 'Язык',
      bounceLabel: 'Сообщение об ошибке доставки',
      bounceHelp: 'Вставьте текст ошибки из вернувшегося письма: одну строку вроде «550 5.1.1 …» или весь отказ целиком.',
      diagnose: 'Разобрать',
      diagnosing: 'Разбираем…',
      shortcutPrefix: 'или нажмите',
      examplesLabel: 'Попробуйте пример:',
      example0: 'IP отправителя не разрешён (SPF)',
      example1: 'Адрес не существует',
      example2: 'Ящик переполнен',
      resultsLabel: 'Результат',
      footer: 'bouncedoc — разбор отказов доставки на своём сервере.',
      apiLink: 'Описание API (OpenAPI)',
      permanent: 'Постоянная ошибка',
      temporary: 'Временная ошибка',
      permanentHint: 'Повторная отправка не поможет, пока что-то не исправлено.',
      temporaryHint: 'Отправляющий сервер повторяет такие попытки; письмо ещё может дойти.',
      source_status: 'Определено по расширенному коду статуса.',
      source_reply_code: 'Определено по коду ответа.',
      source_rule: 'Определено сработавшим правилом.',
      source_reason: 'Обычный исход для такой причины.',
      fixBy: 'Кто должен исправить',
      whatHappened: 'Что случилось',
      howToFix: 'Как исправить',
      facts: 'Подробности',
      recipient: 'Получатель',
      hardBounce: 'Плохой адрес',
      hardBounceYes: 'Да: сам адрес не работает. Больше не отправляйте на него.',
      replyCode: 'Код ответа',
      statusCode: 'Расширенный код статуса',
      rule: 'Сработавшее правило',
      decision: 'Почему такой вывод',
      notInBounce: 'В отказе нет',
      noRule: 'Ни одно правило не подошло к тексту',
      class: 'Класс',
      category: 'Категория',
      code: 'Код',
      subject: 'Тема',
      detail: 'Уточнение',
      matchedRules: 'Все подошедшие правила ({n})',
      noMatchedRules: 'Ни одно правило не подошло к тексту этого отказа.',
      chosen: 'выбрано',
      priority: 'приоритет {n}',
      constraints: 'ограничений по кодам: {n}',
      position: 'позиция {n}',
      diagnostic: 'Проанализированный текст',
      multiple: 'Ошибок в этом отказе: {n}.',
      inputInfo: 'Проанализировано: байт — {bytes}, строк — {lines}.',
      entities: 'Найдено в отказе',
      noEntities: 'В тексте не найдено IP-адресов, доменов, почтовых адресов или серверов.',
      ent_sending_ip: 'IP отправителя',
      ent_sender_domain: 'Домен отправителя',
      ent_remote_host: 'Принимающий сервер',
      ent_remote_ip: 'IP принимающего сервера',
      ent_ips: 'IP-адреса',
      ent_domains: 'Домены',
      ent_emails: 'Почтовые адреса',
      ent_hosts: 'Почтовые серверы',
      ent_blocklists: 'Чёрные списки',
      ent_urls: 'Ссылки',
      anomaliesLabel: 'Примечание:',
      anomaly_repaired_utf8: 'неверные байты UTF-8 в тексте исправлены.',
      anomaly_control_characters: 'управляющие символы в тексте заменены пробелами.',
      anomaly_text_truncated: 'текст слишком длинный; разобрано только его начало.',
      anomaly_too_many_entities: 'в тексте очень много адресов; показаны только первые.',
      checks: 'Проверки в реальном времени',
      errorEmpty: 'Сначала вставьте текст отказа.',
      errorService: 'Сервис не смог разобрать этот текст:',
      errorNetwork: 'Не удалось связаться с сервисом. Проверьте подключение и попробуйте ещё раз.',
      errorTimeout: 'Сервис слишком долго не отвечает. Попробуйте ещё раз.',
      errorHttp: 'Сервис ответил ошибкой (HTTP {status}).',
      errorBadAnswer: 'Сервис прислал ответ, который страница не понимает.'
    }
  };

  var SINGLE_ENTITIES = ['sending_ip', 'sender_domain', 'remote_host', 'remote_ip'];
  var LIST_ENTITIES = ['ips', 'domains', 'emails', 'hosts', 'blocklists', 'urls'];

  var state = {
    lang: 'en',
    controller: null,
    lastText: null,      // the text of the diagnosis on screen (for re-submitting on switch)
    lastError: null,     // {key, params, detail} of the message on screen, to re-translate
    pendingText: null,   // the text of the request still running
    refocus: false,
    seq: 0
  };

  var dom = {};

  /* ---------- helpers ---------- */

  function t(key, params) {
    var dict = I18N[state.lang] || I18N.en;
    var s = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : I18N.en[key];
    if (s === undefined) s = key;
    if (params) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m;
      });
    }
    return s;
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

  function pickLang(candidate) {
    if (typeof candidate !== 'string') return null;
    var l = candidate.toLowerCase().slice(0, 2);
    return LANGS.indexOf(l) >= 0 ? l : null;
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
    return 'en';
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

  function setLang(lang) {
    lang = pickLang(lang) || 'en';
    if (lang === state.lang) return;
    state.lang = lang;
    try { window.localStorage.setItem(STORAGE_KEY, lang); } catch (e) { /* ignore */ }
    applyChrome();
    if (state.lastError) {
      showError(state.lastError);
    }
    // Ask again in the new language: the request still running, or the diagnosis on screen.
    if (state.controller && state.pendingText !== null) {
      diagnose(state.pendingText);
    } else if (state.lastText !== null && dom.results.querySelector('.result')) {
      diagnose(state.lastText);
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
    state.lastText = null;
    showError(err);
  }

  function diagnose(text) {
    if (state.controller) state.controller.abort();
    clearError();
    if (!text || !text.trim()) {
      state.seq++;
      state.controller = null;
      state.pendingText = null;
      setBusy(false);
      fail({ key: 'errorEmpty', invalid: true });
      dom.bounce.focus();
      return Promise.resolve();
    }

    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    state.controller = controller;
    state.pendingText = text;
    var seq = ++state.seq;
    var lang = state.lang;
    var timedOut = false;
    var timer = setTimeout(function () {
      timedOut = true;
      if (controller) controller.abort();
    }, TIMEOUT_MS);

    setBusy(true);

    return fetch(API_PATH + '?lang=' + encodeURIComponent(lang), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json, application/problem+json' },
      body: JSON.stringify({ text: text }),
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
        renderDiagnosis(r.data);
        state.lastText = text;
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
        state.pendingText = null;
        setBusy(false);
      }
    });
  }

  /* ---------- rendering ---------- */

  function renderDiagnosis(d) {
    var respLang = pickLang(d.lang) || state.lang;
    var frag = document.createDocumentFragment();
    var results = d.results.filter(isObj);

    var anomalies = arr(d.anomalies).filter(function (a) { return typeof a === 'string'; });
    if (anomalies.length) frag.appendChild(renderAnomalies(anomalies));

    if (results.length > 1) {
      frag.appendChild(el('p', { class: 'multi' }, t('multiple', { n: results.length })));
    }

    results.forEach(function (r, i) {
      frag.appendChild(renderResult(r, i, respLang));
    });

    frag.appendChild(renderEntities(isObj(d.entities) ? d.entities : {}));

    if (isObj(d.checks) && Object.keys(d.checks).length) {
      frag.appendChild(renderChecks(d.checks));
    }

    if (isObj(d.input) && typeof d.input.bytes === 'number') {
      frag.appendChild(el('p', { id: 'input-info', class: 'input-info' },
        t('inputInfo', {
          bytes: d.input.bytes,
          lines: typeof d.input.lines === 'number' ? d.input.lines : '?',
          linesWord: t(d.input.lines === 1 ? 'line' : 'lines')
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

  function renderAnomalies(list) {
    return el('aside', { id: 'anomalies', class: 'note' },
      el('strong', null, t('anomaliesLabel')),
      el('ul', null, list.map(function (a) {
        var key = 'anomaly_' + a;
        var known = Object.prototype.hasOwnProperty.call(I18N.en, key);
        return el('li', { 'data-anomaly': a }, known ? t(key) : a);
      })));
  }

  function fact(label, field, value, content) {
    return [
      el('dt', null, label),
      el('dd', { 'data-field': field, 'data-value': value }, content)
    ];
  }

  function renderResult(r, index, respLang) {
    var id = 'result-' + index;
    var permanent = r.permanent === true;
    var source = str(r.permanent_source);
    var sourceKey = 'source_' + source;
    var fixSteps = arr(r.fix).filter(function (s) { return typeof s === 'string' && s !== ''; });

    var head = el('header', { class: 'result-head' },
      el('span', { class: 'badge', 'data-field': 'reason' }, str(r.reason)),
      el('h2', { id: id + '-title', class: 'result-title', 'data-field': 'title' }, str(r.title)));

    var verdict = el('div', { class: 'verdict' },
      el('div', { class: 'verdict-item' },
        el('span', {
          class: 'pill ' + (permanent ? 'pill-permanent' : 'pill-temporary'),
          'data-field': 'permanent',
          'data-value': permanent ? 'true' : 'false'
        }, t(permanent ? 'permanent' : 'temporary')),
        el('span', { class: 'verdict-hint' }, t(permanent ? 'permanentHint' : 'temporaryHint')),
        Object.prototype.hasOwnProperty.call(I18N.en, sourceKey)
          ? el('span', { class: 'verdict-source', 'data-field': 'permanent-source', 'data-value': source }, t(sourceKey))
          : null),
      el('div', { class: 'verdict-item fix-by' },
        el('span', { class: 'fix-by-label' }, t('fixBy')),
        el('strong', { 'data-field': 'fix-by', 'data-value': str(r.fix_by) }, str(r.fix_by_label))));

    var body = [
      el('p', { class: 'summary', 'data-field': 'summary' }, str(r.summary)),
      el('h3', null, t('whatHappened')),
      el('p', { class: 'explanation', 'data-field': 'explanation' }, str(r.explanation)),
      el('h3', null, t('howToFix')),
      el('ol', { class: 'fix', 'data-field': 'fix' }, fixSteps.map(function (s) { return el('li', null, s); }))
    ];

    var facts = el('dl', { class: 'facts' });
    if (typeof r.recipient === 'string' && r.recipient) {
      append(facts, fact(t('recipient'), 'recipient', r.recipient, el('code', null, r.recipient)));
    }
    if (r.hard_bounce === true) {
      append(facts, fact(t('hardBounce'), 'hard-bounce', 'true', t('hardBounceYes')));
    }
    append(facts, fact(t('replyCode'), 'reply-code', str(r.reply_code), renderReplyCode(r)));
    append(facts, fact(t('statusCode'), 'status', str(r.status), renderStatus(r)));
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

    var extra = [el('h3', null, t('facts')), facts, matchedDetails];
    if (str(r.diagnostic)) {
      extra.push(el('details', { class: 'more', 'data-field': 'diagnostic' },
        el('summary', null, t('diagnostic')),
        el('pre', { class: 'diagnostic' }, str(r.diagnostic))));
    }

    return el('article', {
      class: 'card result ' + (permanent ? 'is-permanent' : 'is-temporary'),
      lang: respLang,
      'aria-labelledby': id + '-title',
      'data-reason': str(r.reason),
      'data-permanent': permanent ? 'true' : 'false',
      'data-fix-by': str(r.fix_by)
    }, head, verdict, body, extra);
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

  function renderChecks(checks) {
    return el('section', { id: 'checks', class: 'card', 'aria-labelledby': 'checks-title' },
      el('h2', { id: 'checks-title' }, t('checks')),
      Object.keys(checks).map(function (name) {
        var text;
        try { text = JSON.stringify(checks[name], null, 2); } catch (e) { text = String(checks[name]); }
        return el('details', { class: 'more', 'data-check': name },
          el('summary', null, name),
          el('pre', { class: 'diagnostic' }, text));
      }));
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

    document.getElementById('shortcut-key').textContent = isMac() ? '⌘ Enter' : 'Ctrl+Enter';

    state.lang = initialLang();
    applyChrome();

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
      setLang(dom.lang.value);
    });

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
