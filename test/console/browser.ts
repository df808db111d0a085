// Browser-test plumbing: the built console (built here if missing), a Roster on a real port,
// and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CONSOLE_DIR } from '../../src/http/console.ts';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `npm test` without `npm run build` first still tests the console (CI builds before testing). */
export function ensureBuilt() {
  if (existsSync(`${CONSOLE_DIR}/index.html`)) return;
  execFileSync(process.execPath, [`${ROOT}node_modules/vite/bin/vite.js`, 'build', 'console', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

export interface ConsoleEnv {
  t: TestRoster;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** `port`: 0 for any; a fixed one when the public URL must be known first (single sign-on's redirect URI). */
export async function startConsole(env: Parameters<typeof startRoster>[0] = {}, options: Parameters<typeof startRoster>[1] = {}, port = 0): Promise<ConsoleEnv> {
  ensureBuilt();
  const t = await startRoster(env, options);
  await t.roster.app.listen({ port, host: '127.0.0.1' });
  const addr = t.roster.app.server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : 0;
  const browser = await chromium.launch({
    executablePath: process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    t,
    base: `http://127.0.0.1:${bound}`,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** A fresh browser context (its own cookies), signed in through the console's form. */
export async function signIn(env: ConsoleEnv, user: string, password: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await env.browser.newContext({ viewport, baseURL: env.base });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.base });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto('/');
  await page.getByLabel('Login or email').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
  return page;
}

/** Real HTTP (not injection) against the listening server, e.g. to try a minted token. */
export async function http(env: ConsoleEnv, path: string, init: RequestInit = {}) {
  const res = await fetch(env.base + path, init);
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}
