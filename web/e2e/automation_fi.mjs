// A manager reads the automation report in Finnish, in headless Chromium:
// signs in, switches the pages to Finnish, opens the report from the
// navigation for today, and downloads its CSV (desktop and 390 px phone,
// axe-checked). Run by web/reports_e2e_test.go
// (TestBrowserManagerReadsAutomationReportInFinnish), which passes:
//   BASE_URL        the server
//   MANAGER_TOKEN   a manager's API token
//   TODAY           the agency's date today (YYYY-MM-DD)
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync, readFileSync } from 'node:fs';
import { look as lookAt } from './a11y.mjs';
import { env, openBrowser, closeBrowsers, signInWithToken } from './harness.mjs';

const base = env('BASE_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });

const out = { a11y: {} };

async function look(page, name) {
  out.a11y[name] = await lookAt(page, shots, name, 'fi');
}

try {
  const today = env('TODAY');
  for (const phone of [false, true]) {
    const ctx = await openBrowser(phone, { acceptDownloads: true });
    const page = await signInWithToken(ctx, base, '/queue', env('MANAGER_TOKEN'));
    await page.getByRole('link', { name: 'Suomeksi' }).click();
    await page.waitForURL(u => new URL(u).pathname === '/queue');
    await page.getByRole('navigation', { name: 'Päävalikko' }).getByRole('link', { name: 'Automaatio' }).click();
    await page.waitForURL(u => new URL(u).pathname === '/reports/automation');
    await page.getByLabel('Alkaen').fill(today);
    await page.getByLabel('Päättyen').fill(today);
    await page.getByRole('button', { name: 'Näytä' }).click();
    await page.waitForURL(u => new URL(u).searchParams.get('from') === today);
    out.heading = (await page.getByRole('heading', { level: 1 }).textContent()).trim();
    out.first = (await page.locator('#rep-first').textContent()).trim();
    out.sources = {};
    for (const row of await page.locator('#rep-by-source tbody tr').all()) {
      out.sources[(await row.locator('th').textContent()).trim()] = Number((await row.locator('td').textContent()).trim());
    }
    await look(page, phone ? '41-automation-fi-phone' : '40-automation-fi');
    if (!phone) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Lataa CSV' }).click()]);
      out.csvFile = download.suggestedFilename();
      out.csvHead = readFileSync(await download.path(), 'utf8').split('\n')[0];
    }
  }
  console.log(JSON.stringify(out));
} finally {
  await closeBrowsers();
}
