// Takes screenshots of pages at phone and desktop widths, in light and dark mode, so a
// person can look at what the app shows. Usage:
//   npm run screenshots -- [--base http://localhost:3000] [--out screenshots] [--full] /path [/path ...]
// A path may carry a fragment (/lessons/x#widget) to scroll that element into view.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { chromium } from '@playwright/test';

import { chromiumLaunchOptions } from './chromium.mjs';

const args = process.argv.slice(2);
let base = process.env.BASE_URL ?? 'http://localhost:3000';
let out = 'screenshots';
let fullPage = false;
const paths = [];
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg === '--base') base = args[++i];
  else if (arg === '--out') out = args[++i];
  else if (arg === '--full') fullPage = true;
  else paths.push(arg);
}
if (paths.length === 0) paths.push('/');

const viewports = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];
const schemes = ['light', 'dark'];

/**
 * Scrolls an element into view and waits until the page around it has settled. A widget that
 * comes near the viewport swaps its server-rendered frame for the loaded one (lazyWidget), which
 * can detach the element in the middle of a scroll, and lesson runs far from the viewport count
 * with an estimated height until they render (content-visibility), so the first scroll can land
 * short: retry, let the loads finish, then scroll once more.
 */
async function scrollToSettled(page, target) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await target.scrollIntoViewIfNeeded({ timeout: 5000 });
      break;
    } catch (error) {
      if (attempt === 5) throw error;
      await page.waitForTimeout(200);
    }
  }
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  await target.scrollIntoViewIfNeeded();
  await page.waitForTimeout(100);
}

await mkdir(out, { recursive: true });
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  for (const target of paths) {
    for (const viewport of viewports) {
      for (const colorScheme of schemes) {
        const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1 });
        const page = await context.newPage();
        await page.goto(new URL(target, base).toString(), { waitUntil: 'networkidle' });
        const hash = new URL(target, base).hash;
        if (hash) await scrollToSettled(page, page.locator(hash));
        const name = `${target.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${viewport.name}-${colorScheme}.png`;
        await page.screenshot({ path: path.join(out, name), fullPage });
        console.log(path.join(out, name));
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
}
