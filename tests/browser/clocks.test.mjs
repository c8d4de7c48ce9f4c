// Issue 4, "Done when": record a notifiable event, see the obligation on the dashboard, mark the
// Customer notified, see it met. The security manager records an architecture change through the
// web form (became aware: now, London time), finds its S2.4-5.13.1 obligation "due soon" on the
// dashboard and the obligations page, edits the event to record the notification (and the updated
// RCR provided, S2.4-5.14), and sees the obligation met on time. The customer reviewer then sees
// the RCR update in "Awaiting your decision". The server runs on the real clock over the demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, login } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const screenshotDir = process.env.SCREENSHOT_DIR;  // optional: keep screenshots for review

async function shot(page, name) {
  await page.screenshot({ path: `${screenshotDir || server.dir}/${name}.png`, fullPage: true });
}

// The current minute as a datetime-local value in Europe/London ("2026-11-30T21:05"). Truncated
// to the minute, so never in the future.
function londonNow() {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

const description = 'Browser test: a second ANPR ingest cluster added to the Core IMS';
let eventPath;  // "/r/notifiable_events/<id>"

test('security manager: record an event, see it due on the dashboard, notify, see it met',
  async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    await login(page, server.url, 'secman');
    await page.waitForURL(server.url + '/');

    // The dashboard answers the gate question prominently, with its reasons or a yes.
    const gate = page.locator('#gate');
    assert.match(await gate.innerText(), /May the Core IMS process Customer Data now\?/);
    assert.match(await page.locator('#gate-answer').innerText(), /^(Yes|No)$/);

    // Record the event through the web form.
    await page.goto(server.url + '/r/notifiable_events/new');
    const form = page.locator('form#record-form');
    await form.locator('#kind').selectOption('architecture_change');
    await form.locator('#description').fill(description);
    assert.equal(await form.locator('#became_aware_at').getAttribute('type'), 'datetime-local');
    await form.locator('#became_aware_at').fill(londonNow());
    await form.getByRole('button', { name: /save/i }).click();
    await page.waitForURL(/\/r\/notifiable_events\/\d+$/);
    eventPath = new URL(page.url()).pathname;

    // The dashboard: the S2.4-5.13.1 obligation is due soon (2 Working Days), linked to the event.
    await page.goto(server.url + '/');
    const soon = page.locator('#due-soon li').filter({ has: page.locator(`a[href="${eventPath}"]`) });
    assert.equal(await soon.count(), 1, 'the new obligation is in "Due in the next 10 Working Days"');
    const soonText = await soon.innerText();
    assert.match(soonText, /Due soon/);
    assert.match(soonText, /S2\.4-5\.13\.1/);
    assert.match(soonText, /Notify the Customer/);
    assert.equal(await page.locator(`#overdue a[href="${eventPath}"]`).count(), 0);
    await shot(page, 'dashboard-due');

    // The obligations page, filtered by clause, says the same.
    await page.goto(server.url + '/obligations?clause=5.13.1');
    const row = page.locator('#obligations-table tbody tr').filter({ has: page.locator(`a[href="${eventPath}"]`) });
    assert.equal(await row.count(), 1);
    assert.equal(await row.getAttribute('data-state'), 'due_soon');

    // Mark the Customer notified (and the updated RCR provided) by editing the event.
    await page.goto(server.url + eventPath + '/edit');
    const edit = page.locator('form#record-form');
    const now = londonNow();
    await edit.locator('#customer_notified_at').fill(now);
    await edit.locator('#notified_to').fill('Martin Ashworth (Accreditor)');
    await edit.locator('#rcr_provided_at').fill(now);
    await edit.getByRole('button', { name: /save/i }).click();
    await page.waitForURL(server.url + eventPath);

    // Met on time: off the dashboard's due lists, "Met on time" on the obligations page.
    await page.goto(server.url + '/');
    assert.equal(await page.locator(`#due-soon a[href="${eventPath}"]`).count(), 0);
    assert.equal(await page.locator(`#overdue a[href="${eventPath}"]`).count(), 0);
    await page.goto(server.url + '/obligations?clause=5.13.1&state=met_on_time');
    const met = page.locator('#obligations-table tbody tr').filter({ has: page.locator(`a[href="${eventPath}"]`) });
    assert.equal(await met.count(), 1);
    assert.match(await met.innerText(), /Met on time/);
    assert.match(await met.innerText(), /; met on time /);
    await shot(page, 'obligations-met');

    // Filter through the page's own form: overdue only, then clear.
    await page.goto(server.url + '/obligations');
    await page.locator('#f-state').selectOption('overdue');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/state=overdue/);
    const states = await page.locator('#obligations-table tbody tr[data-state]').evaluateAll(
      (rows) => rows.map((r) => r.getAttribute('data-state')));
    assert.ok(states.every((s) => s === 'overdue'), states.join(','));
    await context.close();
  });

test('customer reviewer: the RCR update awaits its decision', async () => {
  assert.ok(eventPath, 'the first test recorded the event');
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  await login(page, server.url, 'reviewer');
  await page.waitForURL(server.url + '/');
  const awaiting = page.locator('#awaiting');
  assert.match(await awaiting.locator('h2').innerText(), /Awaiting your decision/);
  assert.equal(await awaiting.locator(`a[href="${eventPath}"]`).count(), 1);
  assert.match(await awaiting.innerText(), /S2\.4-5\.13\.1/);
  await shot(page, 'dashboard-reviewer');
  await context.close();
});

test('a subcontractor sees no contract-wide obligations', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, server.url, 'subcontractor');
  await page.waitForURL(server.url + '/');
  assert.equal(await page.locator('#gate').count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Obligations' }).count(), 0);
  const res = await page.goto(server.url + '/obligations');
  assert.equal(res.status(), 403);
  await context.close();
});
