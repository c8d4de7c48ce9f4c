// Starts a real accredit server over a fresh SQLite database with the demo contract, on a free
// loopback port, and a headless Debian chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const DEMO_PASSWORD = 'browser-test-password-2026';

export async function startServer() {
  const bin = process.env.ACCREDIT_BIN;
  if (!bin) throw new Error('ACCREDIT_BIN is not set (run through ctest)');
  const dir = mkdtempSync(join(tmpdir(), 'accredit-browser-'));
  const db = join(dir, 'accredit.db');
  execFileSync(bin, ['--db', db, 'demo', '--password', DEMO_PASSWORD], { stdio: 'pipe' });
  const proc = spawn(bin, ['--db', db, 'serve', '--host', '127.0.0.1', '--port', '0',
                           '--access-log', join(dir, 'access.log')],
                     { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start: ' + output)), 20000);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/listening on (https?:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  return {
    url, db, dir,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function login(page, url, username, password = DEMO_PASSWORD) {
  await page.goto(url + '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
}
