// Staff sign-in through an OpenID provider in headless Chromium. Run by
// web/oidc_test.go (TestBrowserOIDC), which starts the provider and the
// server and passes:
//   BASE_URL        the server
//   IDP_URL         the provider (zitadel's op with its example login page)
//   IDP_USER, IDP_PASSWORD   a user at the provider (a clerk)
//   SHOTS           folder for the screenshots
//   PLAYWRIGHT_DIR  where playwright-core is installed
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { mkdirSync } from 'node:fs';
import { look } from './a11y.mjs';
import { env, check, openBrowser, closeBrowsers } from './harness.mjs';

const base = env('BASE_URL');
const idp = env('IDP_URL');
const shots = env('SHOTS');
mkdirSync(shots, { recursive: true });

const out = {};
const ctx = await openBrowser(false);
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(base + '/shortages');
  check(new URL(page.url()).pathname === '/signin', 'not sent to sign in: ' + page.url());
  out.tokenForm = await page.getByLabel('API token').count();
  await look(page, shots, 'oidc-01-signin');
  await page.getByRole('link', { name: 'Sign in with Migri ID' }).click();
  // The provider's login page.
  await page.waitForURL(u => u.toString().startsWith(idp));
  await page.getByLabel('Username:').fill(env('IDP_USER'));
  await page.getByLabel('Password:').fill(env('IDP_PASSWORD'));
  await page.getByRole('button', { name: 'Login' }).click();
  // Back at the page asked for, signed in.
  await page.waitForURL(u => u.toString().startsWith(base + '/shortages'));
  out.who = (await page.locator('.who').textContent()).trim();
  await look(page, shots, 'oidc-02-shortages');
  await page.getByRole('button', { name: 'End all my sessions' }).click();
  await page.waitForURL(u => new URL(u).pathname === '/signin');
  await page.goto(base + '/queue');
  out.afterSignout = new URL(page.url()).pathname;
  console.log(JSON.stringify(out));
} finally {
  await closeBrowsers();
}
