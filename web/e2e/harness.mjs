// What every browser script needs: its settings from the environment (set
// by the Go test that runs it), Debian's Chromium through playwright-core,
// the flags a closed network wants, and a check that fails the run; and
// what most do: a browser in a fresh profile on a desktop or a phone, and
// a sign-in with an API token.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// env is a setting the Go test gives; a missing one fails at once.
export const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};

const require = createRequire(join(env('PLAYWRIGHT_DIR'), 'node_modules', '/'));

// chromium is playwright-core's launcher; launch it with
// executablePath '/usr/bin/chromium' and args.
export const { chromium } = require('playwright-core');

// args keep headless Chromium off the network it cannot reach here.
export const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// check fails the run with msg unless cond holds.
export function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

const contexts = [];
const profiles = [];

// openBrowser starts Chromium in a fresh profile, on a desktop (1366×850)
// or on a 390 px phone, in English, with a 20 s default timeout; options
// add to or override the launch's (locale, acceptDownloads…).
// closeBrowsers closes it.
export async function openBrowser(phone, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'iv-chromium-'));
  profiles.push(dir);
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', args, headless: true, locale: 'en-GB',
    viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 850 },
    isMobile: phone, hasTouch: phone, ...options,
  });
  ctx.setDefaultTimeout(20000);
  contexts.push(ctx);
  return ctx;
}

// closeBrowsers closes every browser openBrowser started and removes its
// profile.
export async function closeBrowsers() {
  for (const c of contexts) await c.close();
  for (const d of profiles) {
    try { rmSync(d, { recursive: true, force: true }); } catch (e) { /* chromium may still be writing */ }
  }
}

// signInWithToken opens base + path in the browser's page, is sent to sign
// in, signs in with the API token and comes back to path; it returns the
// page.
export async function signInWithToken(ctx, base, path, token) {
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(base + path);
  check(new URL(page.url()).pathname === '/signin', 'not sent to sign in: ' + page.url());
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(u => new URL(u).pathname === path);
  return page;
}
