// Every table of the console at a phone's 390 x 844: no cell, button or picker is cut (its content
// fits its box), the page itself never scrolls sideways, and a table wider than the screen
// scrolls inside its own box, which reaches its last column.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, DB_KIND } from '../helpers/roster.ts';
import { signIn, startConsole, type ConsoleEnv } from './browser.ts';

const T = { timeout: 120_000 };
const PHONE = { width: 390, height: 844 };

interface Clipped {
  what: string;
  scrollWidth: number;
  clientWidth: number;
}

interface TableReport {
  tables: number;
  clipped: Clipped[];
  notScrolling: string[];
  pageOverflow: number;
}

describe('admin console: tables at a phone width', () => {
  let env: ConsoleEnv;
  let orgId: number;
  let teamId: number;
  before(async () => {
    env = await startConsole();
    const api = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
      const r = await env.t.request(method, url, { ...env.t.admin, headers, body });
      assert.ok(r.status < 300, `${method} ${url}: ${r.status} ${r.text}`);
      return r.body;
    };
    orgId = (await api('POST', '/api/orgs', { name: 'Narrow Tables Incorporated International' })).orgId;
    const inOrg = { 'x-grafana-org-id': String(orgId) };
    const bart = await api('POST', '/api/admin/users', {
      login: 'bartholomew.longname',
      email: 'bartholomew.longname@an-example-domain.example.com',
      name: 'Bartholomew Longname-Smythe',
      password: 'bart-secret-1',
      orgId,
    });
    teamId = (await api('POST', '/api/teams', { name: 'Platform reliability engineering', email: 'platform-reliability@an-example-domain.example.com' }, inOrg)).teamId;
    await api('POST', `/api/teams/${teamId}/members`, { userId: bart.id }, inOrg);
    const sa = await api('POST', '/api/serviceaccounts', { name: 'deployment-automation-bot', role: 'Editor' }, inOrg);
    await api('POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'ci-pipeline-token-production', secondsToLive: 86_400 }, inOrg);
    await api('POST', `/api/roster/v1/orgs/${orgId}/integrations`, { kind: 'github', integrationId: 'gh-installation-123456', config: { repo: 'an-organization/a-repository-name' } });
    await api('POST', '/api/personal_api_keys/', { label: 'laptop key for scripts', scopes: ['organization:read', 'organization_member:read'], scoped_teams: [] });
  });
  after(() => env?.close());

  /**
   * Measures every table on the page once its rows are shown. Plain JavaScript text: the test
   * runner's transpiler would wrap named functions in a helper the page does not have.
   */
  const MEASURE = `(() => {
    const name = (el) => el.tagName.toLowerCase() + ' "' + (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40) + '"';
    const clipped = [];
    const notScrolling = [];
    const tables = [...document.querySelectorAll('table')];
    const probe = document.body.appendChild(document.createElement('span'));
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
    for (const table of tables) {
      // Cells, and the boxes inside them whose text would be cut: buttons, pickers, badges, code.
      for (const el of table.querySelectorAll('th, td, td button, td select, td [role="button"], td .badge, td code, td input')) {
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.display === 'inline' || el.closest('.visually-hidden')) continue;
        if (el.scrollWidth > el.clientWidth + 1) clipped.push({ what: name(el), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth });
        // A picker reports no overflow: its chosen option's text must fit inside its padding (the arrow sits there).
        if (el.tagName === 'SELECT' && el.selectedOptions[0]) {
          probe.style.font = style.font;
          probe.textContent = el.selectedOptions[0].text;
          const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          if (probe.offsetWidth > room + 1) clipped.push({ what: name(el) + ' (' + el.selectedOptions[0].text + ')', scrollWidth: probe.offsetWidth, clientWidth: Math.round(room) });
        }
      }
      const box = table.parentElement;
      const overflowX = getComputedStyle(box).overflowX;
      if (overflowX !== 'auto' && overflowX !== 'scroll') notScrolling.push(name(table) + ': wrapper overflow-x ' + overflowX);
      // These rows' long logins, emails and scopes wrap: the table fits the screen, no column cut at the box's edge.
      if (table.offsetWidth > box.clientWidth) notScrolling.push(name(table) + ': ' + table.offsetWidth + 'px wide in a ' + box.clientWidth + 'px box');
      // Made twice as wide as the screen (as longer data would), the table scrolls in its box to its last column.
      const minWidth = table.style.minWidth;
      table.style.minWidth = 2 * box.clientWidth + 'px';
      box.scrollLeft = box.scrollWidth;
      const last = table.querySelector('tbody tr')?.lastElementChild?.getBoundingClientRect();
      const boxRect = box.getBoundingClientRect();
      if (box.scrollLeft === 0 || !last || last.right > boxRect.right + 1) notScrolling.push(name(table) + ': the box does not scroll to its last column');
      if (document.documentElement.scrollWidth > document.documentElement.clientWidth) notScrolling.push(name(table) + ': a wider table widens the page');
      box.scrollLeft = 0;
      table.style.minWidth = minWidth;
    }
    probe.remove();
    return { tables: tables.length, clipped, notScrolling, pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
  })()`;

  it('no table cell is cut on any page with a table', T, async () => {
    const page = await signIn(env, 'admin', ADMIN_PASSWORD, PHONE);
    const pages: [string, string][] = [
      ['/orgs', `tr >> text=Narrow Tables`],
      ['/users', 'tr >> text=bartholomew.longname'],
      [`/orgs/${orgId}/members`, 'tr >> text=bartholomew.longname'],
      [`/orgs/${orgId}/teams`, 'tr >> text=Platform reliability engineering'],
      [`/orgs/${orgId}/teams/${teamId}`, 'tbody tr'],
      [`/orgs/${orgId}/service-accounts`, 'tr[data-token="ci-pipeline-token-production"]'],
      [`/orgs/${orgId}/integrations`, 'tr[data-integration="github"]'],
      [`/orgs/${orgId}/audit`, 'tr[data-action="team.create"]'],
      ['/account', 'tr >> text=laptop key for scripts'],
    ];
    const problems: string[] = [];
    for (const [path, ready] of pages) {
      await page.goto(path);
      await page.locator(ready).first().waitFor();
      const report: TableReport = await page.evaluate(MEASURE);
      const slug = path.replace(/\W+/g, '-');
      await page.screenshot({ path: `/tmp/roster-console-narrow${slug}-${DB_KIND}.png`, fullPage: true });
      assert.ok(report.tables > 0, `${path}: a table is shown`);
      for (const c of report.clipped) problems.push(`${path}: ${c.what} is cut (${c.scrollWidth}px of content in ${c.clientWidth}px)`);
      for (const n of report.notScrolling) problems.push(`${path}: ${n}`);
      if (report.pageOverflow > 0) problems.push(`${path}: the page scrolls sideways by ${report.pageOverflow}px`);
    }
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
