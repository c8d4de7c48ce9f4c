// Issue 4, point 7: the iCalendar feed, parsed by an independent parser (npm ical.js), holds
// every open obligation of the demo contract. The feed address is made on the /calendar-feed
// page as a user would, fetched without any cookie (the token is the credential), compared with
// GET /api/v1/obligations?open=1, and revoked again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import ICAL from 'ical.js';
import { startServer, launchBrowser, login } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  // Feed addresses come only from the configured public address, never from the Host header.
  execFileSync(process.env.ACCREDIT_BIN,
               ['--db', server.db, 'reminders', 'configure', '--base-url', server.url],
               { stdio: 'pipe' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the calendar feed holds every open obligation (parsed by ical.js)', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await login(page, server.url, 'secman');
  await page.waitForURL(server.url + '/');

  await page.goto(server.url + '/calendar-feed');
  await page.getByRole('button', { name: /create a feed address/i }).click();
  await page.waitForLoadState('load');
  const feedUrl = await page.locator('#feed-url').inputValue();
  assert.match(feedUrl, /^http:\/\/127\.0\.0\.1:\d+\/calendar\/acf_[0-9a-f]{64}\.ics$/);

  // Fetched like a calendar program would: no cookie, no bearer token.
  const res = await fetch(feedUrl);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/calendar/);
  const text = await res.text();
  for (const line of text.split('\r\n')) {
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `line longer than 75 octets: ${line}`);
  }
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((v) => ({
    uid: v.getFirstPropertyValue('uid'),
    summary: v.getFirstPropertyValue('summary'),
    start: new ICAL.Event(v).startDate.toJSDate().getTime(),
    url: v.getFirstPropertyValue('url'),
    category: v.getFirstPropertyValue('categories'),
    description: v.getFirstPropertyValue('description'),
  }));

  const api = await page.request.get(server.url + '/api/v1/obligations?open=1&limit=500');
  assert.equal(api.status(), 200);
  const body = await api.json();
  assert.ok(body.total > 0, 'the demo contract has open obligations');
  assert.ok(body.total <= 500);
  assert.equal(events.length, body.total);

  const byUid = new Map(events.map((e) => [e.uid, e]));
  assert.equal(byUid.size, events.length, 'UIDs are unique');
  for (const o of body.items) {
    const e = byUid.get(o.key + '@accredit');
    assert.ok(e, `no event for ${o.key}`);
    assert.ok(e.summary.endsWith(`(${o.clause})`), e.summary);
    assert.ok(o.text.startsWith(e.summary + ', due'), `${o.text} / ${e.summary}`);
    // DTSTART is the due instant, to the second.
    assert.equal(e.start, Math.floor(Date.parse(o.due) / 1000) * 1000, o.key);
    assert.equal(e.category, o.state);
    assert.equal(e.url, server.url + o.subject.href);
    assert.ok(e.description.startsWith(o.text), e.description);
  }

  // Revoked: the same address now answers 404.
  await page.goto(server.url + '/calendar-feed');
  await page.getByRole('button', { name: /revoke the feed/i }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('#feed-status').innerText(), /no active feed/);
  assert.equal((await fetch(feedUrl)).status, 404);
  await context.close();
});
