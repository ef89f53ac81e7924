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
import { mkdirSync } from 'node:fs';
import { look as lookAt } from './a11y.mjs';
import { env, check, openBrowser, closeBrowsers, signInWithToken } from './harness.mjs';

const base = env('BASE_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });

const out = { a11y: {} };

async function look(page, name) {
  out.a11y[name] = await lookAt(page, shots, name);
}

try {
  const caseID = env('CASE');
  await signInWithToken(await openBrowser(false), base, '/cases/' + caseID, env('CLERK_TOKEN'));

  for (const phone of [false, true]) {
    const page = await signInWithToken(await openBrowser(phone), base, '/access-log', env('AUDITOR_TOKEN'));
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
  await closeBrowsers();
}
