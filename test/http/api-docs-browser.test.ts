// /api/docs in a real browser (Debian's Chromium through playwright-core): every request the page
// makes goes to this server, it lists every operation of the document, and "Try it out" on
// GET /api/org with Basic credentials entered in the Authorize dialog shows the server's answer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { http, startConsole, type ConsoleEnv } from '../console/browser.ts';
import { ADMIN_PASSWORD, DB_KIND } from '../helpers/roster.ts';

// The page, its document and its one request (GET /api/org) are the same on either database.
const skip = DB_KIND !== 'sqlite' && 'database-independent; runs in the SQLite pass';

describe('API reference in a browser', { skip }, () => {
  let env: ConsoleEnv;
  before(async () => {
    // No ROSTER_PUBLIC_URL: the document's server is this origin, where "Try it out" sends.
    env = await startConsole({ ROSTER_PUBLIC_URL: undefined as unknown as string });
  });
  after(() => env?.close());

  it('loads only from this server, lists every operation and tries GET /api/org', async () => {
    // Swagger UI renders only the operations near the viewport once a document has more than about
    // 125 of them: a viewport tall enough for the whole list lets them all render to be counted.
    const context = await env.browser.newContext({ baseURL: env.base, viewport: { width: 1280, height: 30000 } });
    const requests: string[] = [];
    context.on('request', (req) => void requests.push(req.url()));
    const page = await context.newPage();
    // Generous: Swagger UI renders two hundred operations at once, slowly on a loaded machine.
    page.setDefaultTimeout(60_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => void errors.push(err.message));
    page.on('console', (msg) => void (msg.type() === 'error' && errors.push(msg.text())));

    await page.goto('/api/docs');
    await page.locator('.opblock').first().waitFor();
    const doc = (await http(env, '/api/openapi.json')).body;
    const operations = Object.values<object>(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, operations, { timeout: 60_000 }).catch(() => {});
    assert.equal(await page.locator('.opblock').count(), operations);

    // Basic credentials through the Authorize dialog.
    await page.locator('.auth-wrapper .authorize').click();
    const basic = page.locator('.auth-container', { has: page.locator('h4 code', { hasText: /^basic$/ }) });
    await basic.locator('input[type=text]').fill('admin');
    await basic.locator('input[type=password]').fill(ADMIN_PASSWORD);
    await basic.locator('button.authorize').click();
    await basic.locator('button', { hasText: 'Logout' }).waitFor();
    await basic.locator('.btn-done').click();

    const op = page.locator('.opblock-get', { has: page.locator('[data-path="/api/org"]') });
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    await op.getByRole('button', { name: 'Execute' }).click();
    const answer = op.locator('.live-responses-table tr.response');
    await answer.waitFor();
    assert.equal((await answer.locator('.response-col_status').innerText()).trim(), '200');
    assert.match(await answer.locator('.response-col_description').innerText(), /"name": "Main Org\."/);

    assert.ok(requests.includes(`${env.base}/api/org`), requests.join('\n'));
    const elsewhere = requests.filter((url) => !url.startsWith(`${env.base}/`));
    assert.deepEqual(elsewhere, []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
