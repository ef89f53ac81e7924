// Every staff page in Finnish and in Swedish, on a desktop and on a 390 px
// phone, in headless Chromium: the page is in the browser's language,
// shows no markup as text ("<", "class=" in what a clerk reads), passes axe
// (WCAG 2.2 AA, no serious finding) and does not scroll sideways. Run by
// web/langs_e2e_test.go (TestBrowserStaffInFinnishAndSwedish), which
// prepares the data and passes:
//   BASE_URL        the server
//   MANAGER_TOKEN   a manager's API token
//   PAGES           JSON list of the pages' paths
//   MANUAL          JSON {Case, Start, Room, Interviewer}: booking that case
//                   by hand so is refused (issue 24, point 6)
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeFindings, serious, sideways } from './a11y.mjs';

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const base = env('BASE_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });
const require = createRequire(join(env('PLAYWRIGHT_DIR'), 'node_modules', '/'));
const { chromium } = require('playwright-core');
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

const out = { pages: 0, a11y: {}, overflow: {}, markup: {}, manual: {} };

// The words each language's pages use, where a step looks for them.
const words = {
  fi: { notBooked: 'Ei varattu:' },
  sv: { notBooked: 'Inte bokat:' },
};

// manualRefused books a case by hand into a room or with a person already
// booked then: the form stays open with the choices, and the refusal names
// the room or person in the page's language (point 6).
async function manualRefused(page, lang, kind) {
  const m = JSON.parse(env('MANUAL'));
  await page.goto(base + '/cases/' + m.Case);
  await page.locator('#manual summary').click();
  await page.locator('#m-start').fill(m.Start);
  await page.locator('#m-room').selectOption(m.Room);
  await page.locator('#m-interviewer').selectOption(m.Interviewer);
  await page.locator('#m-mode').selectOption('remote');
  await page.locator('#m-reason').fill('käsin');
  await page.locator('#manual form button[type="submit"]').click();
  const problem = page.locator('#manual-problem');
  await problem.waitFor();
  const text = (await problem.innerText()).trim();
  check(text.startsWith(words[lang].notBooked), `${lang} ${kind}: the refusal says ${text}`);
  check(await page.locator('#manual').getAttribute('open') !== null, `${lang} ${kind}: the form closed`);
  const kept = [await page.locator('#m-start').inputValue(), await page.locator('#m-room').inputValue(),
    await page.locator('#m-interviewer').inputValue(), await page.locator('#m-mode').inputValue(), await page.locator('#m-reason').inputValue()];
  check(JSON.stringify(kept) === JSON.stringify([m.Start, m.Room, m.Interviewer, 'remote', 'käsin']), `${lang} ${kind}: kept ${kept}`);
  out.manual[`${lang}-${kind}`] = text;
  await look(page, lang, `langs-${lang}-${kind}-manual`);
}

// look saves a screenshot and checks the page: its language, no markup as
// text, no serious accessibility finding, no sideways scrolling.
async function look(page, lang, name) {
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
  check(await page.getAttribute('html', 'lang') === lang, `${name}: the page is not in ${lang}`);
  const text = await page.locator('body').innerText();
  const markup = text.match(/.{0,30}(?:<|class=).{0,30}/g) || [];
  out.markup[name] = markup.length;
  check(markup.length === 0, `${name}: markup shown as text: ${JSON.stringify(markup)}`);
  const res = await axeFindings(page, env('PLAYWRIGHT_DIR'));
  out.a11y[name] = res.length;
  const bad = serious(res);
  check(bad.length === 0, `${name}: accessibility violations: ${JSON.stringify(bad)}`);
  const over = await sideways(page);
  out.overflow[name] = over;
  check(over <= 0, `${name}: the page scrolls sideways by ${over}px`);
  out.pages++;
}

const profiles = [];
async function browser(lang, phone) {
  const dir = mkdtempSync(join(tmpdir(), 'iv-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', args, headless: true, locale: lang === 'fi' ? 'fi-FI' : 'sv-SE',
    viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 850 },
    isMobile: phone, hasTouch: phone,
  });
  ctx.setDefaultTimeout(20000);
  profiles.push(dir);
  return ctx;
}

// signIn signs in with the token (the form's one text field, whatever the
// language calls it).
async function signIn(page) {
  await page.goto(base + '/queue');
  check(new URL(page.url()).pathname === '/signin', 'not sent to sign in: ' + page.url());
  await page.locator('#token').fill(env('MANAGER_TOKEN'));
  await page.locator('form[action="/signin"] button[type="submit"]').click();
  await page.waitForURL(u => new URL(u).pathname === '/queue');
}

const contexts = [];
try {
  const pages = JSON.parse(env('PAGES'));
  for (const lang of ['fi', 'sv']) {
    for (const phone of [false, true]) {
      const ctx = await browser(lang, phone);
      contexts.push(ctx);
      const pg = ctx.pages()[0] || await ctx.newPage();
      await signIn(pg);
      const kind = phone ? 'phone' : 'desktop';
      for (const [i, path] of pages.entries()) {
        await pg.goto(base + path);
        await look(pg, lang, `langs-${lang}-${kind}-${String(i).padStart(2, '0')}`);
      }
      await manualRefused(pg, lang, kind);
    }
  }
  console.log(JSON.stringify(out));
} finally {
  for (const c of contexts) await c.close();
  for (const d of profiles) {
    try { rmSync(d, { recursive: true, force: true }); } catch (e) { /* chromium may still be writing */ }
  }
}
