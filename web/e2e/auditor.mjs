// An auditor finds who opened a case, in headless Chromium: a clerk opens
// the case page; the auditor signs in, searches the access log for the
// case and reads who opened it (desktop and 390 px phone, axe-checked).
// Run by web/access_e2e_test.go (TestBrowserAuditorFindsWhoOpenedACase),
// which starts the server and passes:
//   BASE_URL        the server
//   CLERK_TOKEN     a clerk's API token
//   AUDITOR_TOKEN   an auditor's API token
//   CASE            the interview whose case page the clerk opens
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeFindings, serious, sideways } from './a11y.mjs';
import { env, chromium, args, check } from './harness.mjs';

const base = env('BASE_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });

const out = { a11y: {} };

async function look(page, name) {
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
  const res = await axeFindings(page, env('PLAYWRIGHT_DIR'));
  out.a11y[name] = res.length;
  const bad = serious(res);
  check(bad.length === 0, `${name}: accessibility violations: ${JSON.stringify(bad)}`);
  const over = await sideways(page);
  check(over <= 0, `${name}: the page scrolls sideways by ${over}px`);
}

const profiles = [];
async function browser(phone) {
  const dir = mkdtempSync(join(tmpdir(), 'iv-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', args, headless: true, locale: 'en-GB',
    viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 850 },
    isMobile: phone, hasTouch: phone,
  });
  ctx.setDefaultTimeout(20000);
  profiles.push(dir);
  return ctx;
}

// signIn opens path, signs in with token and comes back to path.
async function signIn(ctx, path, token) {
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(base + path);
  check(new URL(page.url()).pathname === '/signin', 'not sent to sign in: ' + page.url());
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(u => new URL(u).pathname === path);
  return page;
}

const contexts = [];
try {
  const caseID = env('CASE');
  const clerk = await browser(false);
  contexts.push(clerk);
  await signIn(clerk, '/cases/' + caseID, env('CLERK_TOKEN'));

  for (const phone of [false, true]) {
    const ctx = await browser(phone);
    contexts.push(ctx);
    const page = await signIn(ctx, '/access-log', env('AUDITOR_TOKEN'));
    const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    check(nav.length === 1 && nav[0] === 'Access log', 'the auditor sees only the access log: ' + nav);
    await page.getByLabel('What').selectOption('interview');
    await page.getByLabel('Id').fill(caseID);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(u => new URL(u).searchParams.get('subject_id') === caseID);
    // The read reaches the log within about a second: search again until it does.
    let rows = 0;
    for (let i = 0; i < 40 && rows === 0; i++) {
      rows = await page.locator('#access-log tbody tr').count();
      if (rows === 0) {
        await page.waitForTimeout(250);
        await page.reload();
      }
    }
    check(rows === 1, `one read of the case, not ${rows}`);
    const row = page.locator('#access-log tbody tr').first();
    out.who = (await row.locator('td').nth(0).textContent()).trim();
    out.role = (await row.locator('td').nth(1).textContent()).trim();
    out.route = (await row.locator('td').nth(4).textContent()).trim();
    out.rows = rows;
    await look(page, phone ? '31-access-log-phone' : '30-access-log');
  }
  console.log(JSON.stringify(out));
} finally {
  for (const c of contexts) await c.close();
  for (const d of profiles) rmSync(d, { recursive: true, force: true });
}
