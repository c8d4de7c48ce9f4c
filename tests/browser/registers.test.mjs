// Issue 3, "Done when": the security manager creates a risk and a control in the UI, links the
// control to the risk, issues an RMD version and downloads its DOCX from the page; the current
// RMD shows the new risk in its risk table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
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

test('security manager: risk + control in the UI, issue an RMD version, download its DOCX',
  async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    await login(page, server.url, 'secman');
    await page.waitForURL(server.url + '/');

    // A risk through the create form.
    await page.goto(server.url + '/r/risks/new');
    const riskForm = page.locator('form#record-form');
    await riskForm.locator('#ref').fill('RB-901');
    await riskForm.locator('#title').fill('Browser-test risk: stolen field laptop');
    await riskForm.locator('#inherent_likelihood').fill('4');
    await riskForm.locator('#inherent_impact').fill('4');
    await riskForm.locator('#treatment').selectOption('treat');
    await riskForm.getByRole('button', { name: /save risk/i }).click();
    await page.waitForURL(/\/r\/risks\/\d+$/);
    const riskId = page.url().match(/\/r\/risks\/(\d+)$/)[1];
    assert.match(await page.locator('main').innerText(), /stolen field laptop/);

    // A control through the create form.
    await page.goto(server.url + '/r/controls/new');
    const controlForm = page.locator('form#record-form');
    await controlForm.locator('#ref').fill('CB-901');
    await controlForm.locator('#title').fill('Full-disk encryption on field laptops');
    await controlForm.locator('#implementation_status').selectOption('implemented');
    await controlForm.getByRole('button', { name: /save control/i }).click();
    await page.waitForURL(/\/r\/controls\/\d+$/);
    const controlUrl = page.url();

    // Link it to the risk from the control's page.
    const linkForm = page.locator('form#link-form');
    await linkForm.getByLabel('Relation').fill('mitigates');
    await linkForm.getByLabel('To', { exact: true }).selectOption('risks');
    await linkForm.getByLabel('Record number or catalogue id').fill(riskId);
    await linkForm.getByRole('button', { name: /add link/i }).click();
    await page.waitForURL(controlUrl);
    const links = await page.locator('#links table').innerText();
    assert.match(links, /mitigates/);
    assert.match(links, /stolen field laptop/);

    // Issue an RMD version with a note.
    await page.goto(server.url + '/documents');
    await shot(page, 'documents-before');
    const issueForm = page.locator('form#issue-form');
    await issueForm.getByLabel('Note').fill('Browser test issue');
    await issueForm.getByRole('button', { name: /issue version/i }).click();
    await page.waitForURL(/\/documents\?issued=\d+/);
    const version = new URL(page.url()).searchParams.get('issued');
    assert.match(await page.locator('#issued-notice').innerText(), new RegExp(`version ${version} issued`));
    const versions = await page.locator('#versions table').innerText();
    assert.match(versions, /Browser test issue/);
    assert.match(versions, /secman/);
    await shot(page, 'documents');

    // Download the DOCX of that version through the page link.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `DOCX of version ${version}`, exact: true }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `rmd-v${version}.docx`);
    const file = await download.path();
    const bytes = readFileSync(file);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(statSync(file).size > 5 * 1024, `DOCX is only ${statSync(file).size} bytes`);

    // The current RMD shows the new risk in the risk table, and the control in the controls table.
    await page.goto(server.url + '/documents/rmd');
    const riskTable = page.locator('xpath=//*[@id="a3-5-5"]/following-sibling::table[1]');
    assert.match(await riskTable.innerText(), /RB-901/);
    const controlsTable = page.locator('xpath=//*[@id="a3-5-6"]/following-sibling::table[1]');
    assert.match(await controlsTable.innerText(), /CB-901/);
    await shot(page, 'rmd');

    // A register list page, for the record.
    await page.goto(server.url + '/r/risks');
    assert.match(await page.locator('main').innerText(), /RB-901/);
    await shot(page, 'risks');
    await context.close();
  });

test('an auditor may read the documents but sees no issue form', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, server.url, 'auditor');
  await page.waitForURL(server.url + '/');
  await page.goto(server.url + '/documents');
  assert.ok(await page.getByRole('link', { name: /view current rmd/i }).count() > 0);
  assert.equal(await page.locator('form#issue-form').count(), 0);
  assert.equal(await page.getByRole('button', { name: /issue version/i }).count(), 0);
  await context.close();
});
