// Issue 2, point 10: log in as the demo admin, see the dashboard, create a user, find that
// action in the audit log page.
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

test('admin logs in, creates a user, and finds it in the audit log', async () => {
  const page = await browser.newPage();
  page.setDefaultTimeout(10000);
  await login(page, server.url, 'admin');
  await page.waitForURL(server.url + '/');
  const body = await page.locator('main').innerText();
  assert.match(body, /Highways England/);

  await page.goto(server.url + '/users');
  const form = page.locator('form#new-user-form');
  await form.getByLabel('Username').fill('jbloggs');
  await form.getByLabel('Display name').fill('Joe Bloggs');
  await form.getByLabel('Email').fill('joe.bloggs@example.test');
  await form.getByLabel('Role').selectOption('engineer');
  await form.getByLabel('Initial password').fill('a-long-enough-password-1');
  await form.getByRole('button', { name: /create user/i }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('main').innerText(), /jbloggs/);

  await page.goto(server.url + '/audit?entity_type=user');
  const audit = await page.locator('main').innerText();
  assert.match(audit, /user\.create/);
  assert.match(audit, /jbloggs/);
  await page.screenshot({ path: server.dir + '/audit.png' });
});

test('a customer reviewer sees no control to create users', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, server.url, 'reviewer');
  await page.waitForURL(server.url + '/');
  await page.goto(server.url + '/users');
  // The page renders (inside the layout) but offers no way to create a user.
  assert.ok(await page.locator('nav').count() > 0);
  assert.equal(await page.locator('form#new-user-form').count(), 0);
  assert.equal(await page.getByRole('button', { name: /create user/i }).count(), 0);
  await context.close();
});
