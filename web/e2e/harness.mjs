// What every browser script needs: its settings from the environment (set
// by the Go test that runs it), Debian's Chromium through playwright-core,
// the flags a closed network wants, and a check that fails the run.
import { createRequire } from 'node:module';
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
