// LTI 1.3 in real Chromium (issue 18): a course page on another site (the test platform on
// 127.0.0.1) launches the tool (on localhost) in a new window and in an iframe; the learner
// answers, and the score arrives at the platform, also after a 503 outage and across a restart.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, utimesSync } from 'node:fs';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

import { TestPlatform } from '../lti-platform/platform';

const port = Number(process.env.E2E_PORT ?? 3100);
const TOOL = `http://localhost:${port}`;
const CORRECT_TEXT = {
  'why-chain-rule': 'The loss depends on early parameters only through many intermediate computations.',
  'graph-purpose': 'Showing how each value is built from simpler operations, so gradients can be traced step by step.',
};
const QUESTION = {
  'why-chain-rule': /Why does training a neural network need the chain rule/,
  'graph-purpose': /What is a computational graph mainly for/,
};

/** Registers `platform` with the tool whose database is `databaseUrl`, through the CLI. */
function register(platform: TestPlatform, databaseUrl: string): void {
  const result = spawnSync(
    'npm',
    [
      'run',
      '-s',
      'lti:platform',
      '--',
      'add',
      '--issuer',
      platform.issuer,
      '--client-id',
      platform.clientId,
      '--deployment-id',
      platform.deploymentId,
      '--auth-url',
      platform.authUrl,
      '--token-url',
      platform.tokenUrl,
      '--jwks-url',
      platform.jwksUrl,
      '--name',
      'Test LMS',
    ],
    { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`lti:platform add failed: ${result.stderr}`);
}

async function launchFromCourse(page: Page, platform: TestPlatform, tool: string, sub: string): Promise<void> {
  platform.pendingLaunches.set(sub, platform.resourceLinkClaims(sub, { toolBase: tool, name: `Learner ${sub}` }));
  await page.goto(`${platform.issuer}/course?${new URLSearchParams({ tool, hint: sub }).toString()}`);
  await page.getByRole('button', { name: 'Open the chain rule lesson' }).click();
  await page.waitForURL(`${tool}/lessons/chain-rule-computational-graphs`);
}

async function answerRight(page: Page, id: keyof typeof CORRECT_TEXT): Promise<void> {
  const check = page.locator('[data-quiz="knowledge-check"]');
  await check.scrollIntoViewIfNeeded();
  const group = check.getByRole('group', { name: QUESTION[id] });
  await group.getByRole('radio', { name: CORRECT_TEXT[id] }).check();
  await group.getByRole('button', { name: 'Check answer' }).click();
  await expect(group.getByRole('status')).toContainText('Correct.');
}

const scoresOf = (platform: TestPlatform, sub: string) => platform.scores.filter((score) => score.body.userId === sub);

test.describe('LTI 1.3 launch and grade passback', () => {
  let platform: TestPlatform;

  test.beforeAll(async () => {
    platform = await new TestPlatform({ toolJwks: `${TOOL}/lti/jwks` }).start();
    register(platform, `file:./data/e2e-${port}.db`);
  });

  test.afterAll(async () => {
    await platform?.stop();
  });

  test('a learner launches from a course page on another site, answers, and the score reaches the gradebook', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await launchFromCourse(page, platform, TOOL, 'e2e-window');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect.poll(() => scoresOf(platform, 'e2e-window').length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(scoresOf(platform, 'e2e-window')[0]!.body).toMatchObject({ scoreGiven: 0, activityProgress: 'Started' });
    await answerRight(page, 'why-chain-rule');
    await expect.poll(() => scoresOf(platform, 'e2e-window').at(-1)?.body.scoreGiven, { timeout: 15_000 }).toBe(1);
    const score = scoresOf(platform, 'e2e-window').at(-1)!;
    expect(score.contentType).toBe('application/vnd.ims.lis.v1.score+json');
    expect(score.body).toMatchObject({ gradingProgress: 'FullyGraded', activityProgress: 'InProgress' });
  });

  test('inside the course page iframe the lesson opens, framed by the platform only, and grades flow', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    platform.pendingLaunches.set('e2e-frame', platform.resourceLinkClaims('e2e-frame', { toolBase: TOOL }));
    await page.goto(
      `${platform.issuer}/course?${new URLSearchParams({ tool: TOOL, hint: 'e2e-frame', frame: '1' }).toString()}`,
    );
    const lessonResponse = page.waitForResponse((response) => response.url().includes('/lti/lessons/'));
    await page.getByRole('button', { name: 'Open the chain rule lesson' }).click();
    // Chromium blocks unpartitioned third-party cookies here: the state and session cookies are
    // partitioned (CHIPS), so the launch completes inside the frame.
    const response = await lessonResponse;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-security-policy']).toContain(`frame-ancestors ${platform.issuer}`);
    expect(response.headers()['content-security-policy']).not.toContain("frame-ancestors 'none'");
    expect(response.headers()['x-frame-options']).toBeUndefined();
    const frame = page.frameLocator('iframe[name="tool"]');
    await expect(frame.getByRole('heading', { level: 1 })).toBeVisible({ timeout: 20_000 });
    const check = frame.locator('[data-quiz="knowledge-check"]');
    await check.scrollIntoViewIfNeeded();
    const group = check.getByRole('group', { name: QUESTION['why-chain-rule'] });
    await group.getByRole('radio', { name: CORRECT_TEXT['why-chain-rule'] }).check();
    await group.getByRole('button', { name: 'Check answer' }).click();
    await expect(group.getByRole('status')).toContainText('Correct.');
    await expect.poll(() => scoresOf(platform, 'e2e-frame').at(-1)?.body.scoreGiven, { timeout: 15_000 }).toBe(1);
    // The plain lesson URL, and a framed URL with a forged origin, stay unframeable.
    const plain = await page.request.get(`${TOOL}/lessons/chain-rule-computational-graphs`);
    expect(plain.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(plain.headers()['x-frame-options']).toBe('DENY');
    const forged = new URL(response.url());
    forged.searchParams.set('frame', 'https://evil.example');
    const refused = await page.request.get(forged.toString());
    expect(refused.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  test('while the platform answers 503 scores wait; afterwards the newest arrives once and in order', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await launchFromCourse(page, platform, TOOL, 'e2e-outage');
    await expect.poll(() => scoresOf(platform, 'e2e-outage').length, { timeout: 15_000 }).toBe(1);
    platform.failing = true;
    const refusedBefore = platform.refusedWhileFailing;
    await answerRight(page, 'why-chain-rule');
    await answerRight(page, 'graph-purpose');
    await expect.poll(() => platform.refusedWhileFailing - refusedBefore, { timeout: 15_000 }).toBeGreaterThan(1);
    expect(scoresOf(platform, 'e2e-outage')).toHaveLength(1);
    platform.failing = false;
    await expect.poll(() => scoresOf(platform, 'e2e-outage').at(-1)?.body.scoreGiven, { timeout: 20_000 }).toBe(2);
    await page.waitForTimeout(1500);
    const scores = scoresOf(platform, 'e2e-outage');
    // The Started score, then exactly one delivery with both answers.
    expect(scores.map((score) => score.body.scoreGiven)).toEqual([0, 2]);
    const times = scores.map((score) => Date.parse(score.body.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

async function expectAxeClean(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
    [],
  );
}

test.describe('LTI instructor journeys', () => {
  let platform: TestPlatform;

  test.beforeAll(async () => {
    platform = await new TestPlatform({ toolJwks: `${TOOL}/lti/jwks` }).start();
    register(platform, `file:./data/e2e-${port}.db`);
  });

  test.afterAll(async () => {
    await platform?.stop();
  });

  test('an instructor launch signs in to the class dashboard, which shows the LMS section; LMS connections registers an LMS from a one-time link', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    platform.members = [
      { user_id: 'roster-a', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], name: 'Ana Roster' },
    ];
    platform.pendingLaunches.set(
      'e2e-teacher',
      platform.resourceLinkClaims('e2e-teacher', {
        toolBase: TOOL,
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
        name: 'Ines Teacher',
        contextId: 'e2e-teach',
      }),
    );
    await page.goto(`${platform.issuer}/course?${new URLSearchParams({ tool: TOOL, hint: 'e2e-teacher' }).toString()}`);
    await page.getByRole('button', { name: 'Open the chain rule lesson' }).click();
    await page.waitForURL(/\/instructor\/classes\/[0-9a-f-]+$/);
    await expect(page.getByRole('heading', { name: /LMS: Test LMS/ })).toBeVisible();
    await page.getByRole('button', { name: 'Sync roster' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Roster synced' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('row', { name: /Ana Roster/ })).toContainText('not started');
    await expectAxeClean(page);

    await page.goto(`${TOOL}/instructor/lms`);
    await expect(page.getByRole('heading', { name: 'LMS connections' })).toBeVisible();
    await expectAxeClean(page);
    await page.getByRole('button', { name: 'Make a registration link' }).click();
    const link = await page.getByRole('textbox', { name: 'One-time registration link' }).inputValue();
    expect(link).toMatch(/\/lti\/register\?link=/);
    // What Moodle or Canvas does with the pasted link.
    const other = await new TestPlatform({ toolJwks: `${TOOL}/lti/jwks`, clientId: 'dynamic-client' }).start();
    try {
      await page.goto(
        `${link}&${new URLSearchParams({ openid_configuration: `${other.issuer}/.well-known/openid-configuration`, registration_token: 'reg-token' }).toString()}`,
      );
      await expect(page.getByRole('heading', { name: 'Autodidact is registered' })).toBeVisible();
      expect(other.registrations).toHaveLength(1);
      await page.goto(link);
      await expect(page.getByRole('heading', { name: /Paste this link|not valid/ })).toBeVisible();
    } finally {
      await other.stop();
    }
  });

  test('deep linking: the instructor picks a lesson and the platform receives a signed content item', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    platform.pendingLaunches.set('e2e-dl', platform.deepLinkingClaims('e2e-dl', TOOL));
    await page.goto(`${platform.issuer}/course?${new URLSearchParams({ tool: TOOL, hint: 'e2e-dl' }).toString()}`);
    await page.getByRole('button', { name: 'Open the chain rule lesson' }).click();
    await expect(page.getByRole('heading', { name: 'Choose a lesson to add to your course' })).toBeVisible();
    await expectAxeClean(page);
    await page.getByRole('button', { name: /^Add / }).first().click();
    await expect(page.getByRole('heading', { name: 'Activity added' })).toBeVisible();
    expect(platform.deepLinkResponses).toHaveLength(1);
    expect(platform.deepLinkResponses[0]!['https://purl.imsglobal.org/spec/lti/claim/message_type']).toBe(
      'LtiDeepLinkingResponse',
    );
  });
});

test.describe('a restart with deliveries pending', () => {
  const restartPort = port + 17;
  const tool = `http://localhost:${restartPort}`;
  const databaseUrl = `file:./data/e2e-lti-restart-${restartPort}.db`;
  let platform: TestPlatform;
  let server: ChildProcess | null = null;

  async function startServer(): Promise<void> {
    // `npm start` serves the build this test run made (touch it so no source edit made since
    // looks newer and triggers a rebuild).
    const distDir = process.env.NEXT_DIST_DIR ?? '.next';
    const now = new Date();
    utimesSync(path.join(process.cwd(), distDir, 'BUILD_ID'), now, now);
    server = spawn('npm', ['start'], {
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        PORT: String(restartPort),
        DATABASE_URL: databaseUrl,
        AUTODIDACT_LTI_POLL_MS: '100',
        AUTODIDACT_LTI_RETRY_BASE_MS: '300',
        AUTODIDACT_LTI_RETRY_MAX_MS: '1000',
      },
    });
    await expect
      .poll(async () => (await fetch(`${tool}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000 })
      .toBe(200);
  }

  async function stopServer(): Promise<void> {
    const child = server;
    if (!child?.pid) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
    await expect
      .poll(async () => (await fetch(`${tool}/api/health`).catch(() => null)) === null, { timeout: 20_000 })
      .toBe(true);
    server = null;
  }

  test.beforeAll(async () => {
    const file = path.resolve(databaseUrl.replace(/^file:/, ''));
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    platform = await new TestPlatform({ toolJwks: `${tool}/lti/jwks` }).start();
  });

  test.afterAll(async () => {
    await stopServer().catch(() => undefined);
    await platform?.stop();
  });

  test('a score still pending at SIGTERM is sent after npm start', async ({ page }) => {
    test.setTimeout(180_000);
    await startServer();
    register(platform, databaseUrl);
    await launchFromCourse(page, platform, tool, 'e2e-restart');
    await expect.poll(() => scoresOf(platform, 'e2e-restart').length, { timeout: 15_000 }).toBe(1);
    platform.failing = true;
    await answerRight(page, 'why-chain-rule');
    const refused = platform.refusedWhileFailing;
    await expect.poll(() => platform.refusedWhileFailing - refused, { timeout: 15_000 }).toBeGreaterThan(0);
    await stopServer();
    platform.failing = false;
    expect(scoresOf(platform, 'e2e-restart')).toHaveLength(1);
    await startServer();
    await expect.poll(() => scoresOf(platform, 'e2e-restart').at(-1)?.body.scoreGiven, { timeout: 30_000 }).toBe(1);
    expect(scoresOf(platform, 'e2e-restart').map((score) => score.body.scoreGiven)).toEqual([0, 1]);
  });
});
