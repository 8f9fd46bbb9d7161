// The page in headless Chromium for browser tests: one server and one browser per test file,
// withPage() for a fresh page that fails the test on page errors or CSP violations, and
// contrast() for the WCAG contrast of rendered text.
//
// Debian's Chromium at /usr/bin/chromium (override with CHROMIUM), driven by playwright-core.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// The flags a root user on a closed network needs (no sandbox, no background connections).
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Registers before/after hooks that start the server and the browser for this file (or for
 * the describe() block it is called in).
 * @param {object | (() => object | Promise<object>)} [serverOptions]  options for startServer()
 *   (e.g. {dns: '127.0.0.1:PORT'}), or a function giving them when the suite starts
 * @returns {{withPage: (options: object, fn: (page: import('playwright-core').Page) => Promise<void>) => Promise<void>,
 *   server: () => object}}
 */
export function browserSuite(serverOptions = {}) {
  let srv;
  let browser;

  before(async () => {
    const opts = typeof serverOptions === 'function' ? await serverOptions() : serverOptions;
    srv = await startServer(opts);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.stop();
  });

  // Opens the page in a fresh context (fresh localStorage) and runs fn; fails the test on
  // any uncaught page error or Content-Security-Policy violation.
  async function withPage(options, fn) {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
      ...options,
    });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) {
        problems.push(`CSP: ${m.text()}`);
      }
    });
    try {
      await page.goto(`${srv.url}/`);
      await page.locator('#bounce').waitFor();
      await fn(page);
      assert.deepEqual(problems, [], 'no page errors or CSP violations');
    } finally {
      await context.close();
    }
  }

  return { withPage, server: () => srv };
}

// Text contrast of an element against its first opaque ancestor background (WCAG 2).
export async function contrast(page, selector) {
  return page.locator(selector).first().evaluate((node) => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const fg = parse(getComputedStyle(node).color);
    let bg = null;
    for (let n = node; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a >= 0.99) { bg = c; break; }
    }
    bg = bg || { r: 255, g: 255, b: 255 };
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  });
}
