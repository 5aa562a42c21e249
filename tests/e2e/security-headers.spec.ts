// The production server's security headers (lib/security-headers.mjs), and proof that the
// pages run under that Content-Security-Policy without a single violation: a violation means
// something the page needs (KaTeX's fonts, a widget's script) is blocked for real users.
import { expect, type Page, test } from '@playwright/test';

import { scrollToKnowledgeCheck } from './knowledge-check';

const PAGES = ['/', '/lessons/chain-rule-computational-graphs'];

interface Violation {
  directive: string;
  blockedURI: string;
  sample: string;
}

/** Records CSP violations from the first script on, plus CSP messages on the console. */
async function watchForViolations(page: Page): Promise<{ violations: () => Promise<Violation[]>; console: string[] }> {
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __cspViolations: Violation[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI, sample: event.sample });
    });
  });
  const messages: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) messages.push(message.text());
  });
  return {
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations),
    console: messages,
  };
}

for (const path of PAGES) {
  test(`${path} sends the security headers`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'unsafe-inline'(;|$)/);
    // Production builds never allow eval (only `next dev` needs it).
    expect(csp).not.toContain('unsafe-eval');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['permissions-policy']).toContain('camera=()');
    expect(headers['x-powered-by']).toBeUndefined();
  });

  test(`${path} runs under the policy with no violations`, async ({ page }) => {
    const watch = await watchForViolations(page);
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    if (path.startsWith('/lessons/')) {
      // KaTeX rendered with its own fonts (served from /_next/static/media under font-src 'self').
      await expect(page.locator('.katex').first()).toBeVisible();
      const fontsLoaded = await page.evaluate(async () => {
        await document.fonts.ready;
        return [...document.fonts].filter((font) => font.family.includes('KaTeX') && font.status === 'loaded').length;
      });
      expect(fontsLoaded).toBeGreaterThan(0);
      // Hydrated: a client widget responds, which needs the inline RSC scripts to have run. The
      // learner's options arrive after hydration and may re-render the group under a first click
      // on a slow machine, so the click is retried until it holds.
      await scrollToKnowledgeCheck(page);
      const radio = page.locator('[data-quiz="knowledge-check"]').getByRole('radio').first();
      await expect(async () => {
        await radio.check({ timeout: 2000 });
        await expect(radio).toBeChecked({ timeout: 1000 });
      }).toPass({ timeout: 20_000 });
    }
    expect(await watch.violations()).toEqual([]);
    expect(watch.console).toEqual([]);
  });
}

test('the policy is enforced and the violation watcher sees it (this check can fail)', async ({ page }) => {
  const watch = await watchForViolations(page);
  await page.goto(PAGES[1]!);
  // What an injection would try: a script and a beacon from another origin. CSP blocks both
  // before any request leaves the browser, and reports them.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.src = 'https://cdn.example.invalid/payload.js';
    document.head.append(script);
    const image = new Image();
    image.src = 'https://tracker.example.invalid/pixel.png';
    document.body.append(image);
  });
  await expect
    .poll(async () => (await watch.violations()).map((violation) => violation.directive).sort())
    .toEqual(['img-src', 'script-src-elem']);
  expect(watch.console.join('\n')).toMatch(/payload\.js' violates the following Content Security Policy/);
});

test('a page cannot be framed by another origin', async ({ page, baseURL }) => {
  // The test page is about:blank, another origin than the app: frame-ancestors 'none' makes
  // Chromium refuse the embed and show its own error page in the frame instead.
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  await page.setContent(`<iframe src="${baseURL}/" title="embedded"></iframe>`);
  await expect.poll(() => messages.join('\n')).toMatch(/(Refused to frame|Framing) .*frame-ancestors 'none'/);
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  expect(frame?.url()).not.toBe(`${baseURL}/`);
});

test('the session cookie is HttpOnly, SameSite and Secure in production', async ({ request }) => {
  const response = await request.post('/api/session', { data: {} });
  expect(response.ok(), await response.text()).toBe(true);
  const cookie = response.headers()['set-cookie'] ?? '';
  expect(cookie).toMatch(/autodidact_session=/);
  expect(cookie).toMatch(/;\s*HttpOnly/i);
  expect(cookie).toMatch(/;\s*Secure/i);
  expect(cookie).toMatch(/;\s*SameSite=Lax/i);
});
