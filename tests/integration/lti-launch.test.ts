// LTI 1.3 login and launch (issue 18) against the test platform (tests/lti-platform): every
// refusal the issue lists writes nothing but an audit row; good launches map (iss, sub) to one
// learner and (iss, deployment, context) to one class; deep linking answers with a signed response.
import { createLocalJWKSet, jwtVerify, SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { currentInstructor } from '@/lib/server/auth/accounts';
import { handleDeepLinkChoice } from '@/lib/server/lti/deep-linking';
import { publicJwks, rotateSigningKey } from '@/lib/server/lti/keys';
import { addPlatform } from '@/lib/server/lti/platforms';
import { findSession, sessionIdFrom } from '@/lib/server/session';
import { TestPlatform } from '@/tests/lti-platform/platform';
import { cookiesOf, fullLaunch, launch, login, TOOL } from '@/tests/lti-platform/tool-client';

import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
let platform: TestPlatform;
const db = () => database.db;

beforeAll(async () => {
  process.env.AUTODIDACT_LTI_JWKS_COOLDOWN_MS = '100';
  database = await createQuizDatabase();
  platform = await new TestPlatform({ toolJwks: () => publicJwks(database.db) }).start();
  await addPlatform(database.db, platform.registration());
});

afterAll(async () => {
  await platform?.stop();
  await database?.cleanup();
});

/** Rows a launch creates; a refusal must leave every count unchanged. */
async function launchRows() {
  const d = db();
  const [learners, users, cohorts, sessions, enrollments, contexts, links, outbox, instructors] = await Promise.all([
    d.learner.count(),
    d.ltiUser.count(),
    d.cohort.count(),
    d.session.count(),
    d.enrollment.count(),
    d.ltiContext.count(),
    d.ltiResourceLink.count(),
    d.ltiScoreOutbox.count(),
    d.instructor.count(),
  ]);
  return { learners, users, cohorts, sessions, enrollments, contexts, links, outbox, instructors };
}

async function expectRefused(
  response: Response,
  status: number,
  words: RegExp,
  before: Awaited<ReturnType<typeof launchRows>>,
) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toContain('text/html');
  expect(text).toMatch(words);
  expect(text).not.toMatch(/at .*\.ts:\d+|Error:/);
  expect(await launchRows()).toEqual(before);
}

function unsigned(header: object, payload: object): string {
  const part = (value: object) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(payload)}.`;
}

describe('GET|POST /lti/login', () => {
  it('redirects to the platform with every OIDC parameter, a fresh state and nonce, and a cross-site state cookie', async () => {
    const first = await login(db(), platform, 'hint-1', { lti_message_hint: 'msg-1' });
    const second = await login(db(), platform, 'hint-1');
    expect(first.response.status).toBe(302);
    const params = first.location.searchParams;
    expect(`${first.location.origin}${first.location.pathname}`).toBe(platform.authUrl);
    expect(Object.fromEntries(params)).toMatchObject({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platform.clientId,
      redirect_uri: `${TOOL}/lti/launch`,
      login_hint: 'hint-1',
      lti_message_hint: 'msg-1',
      state: first.state,
      nonce: first.nonce,
    });
    expect(first.state).not.toBe(second.state);
    expect(first.nonce).not.toBe(second.nonce);
    const cookie = first.response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/SameSite=None/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Partitioned/i);
  });

  it('accepts the parameters as a form post too', async () => {
    const { handleLogin } = await import('@/lib/server/lti/login');
    const response = await handleLogin(
      db(),
      new Request(`${TOOL}/lti/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          iss: platform.issuer,
          login_hint: 'x',
          target_link_uri: `${TOOL}/lessons/chain-rule-computational-graphs`,
          client_id: platform.clientId,
        }).toString(),
      }),
    );
    expect(response.status).toBe(302);
  });

  it('answers 400 naming an unknown issuer or client id', async () => {
    const { handleLogin } = await import('@/lib/server/lti/login');
    const ask = (iss: string, clientId: string) =>
      handleLogin(
        db(),
        new Request(
          `${TOOL}/lti/login?${new URLSearchParams({ iss, login_hint: 'x', target_link_uri: `${TOOL}/lessons/chain-rule-computational-graphs`, client_id: clientId }).toString()}`,
        ),
      );
    const unknownIssuer = await ask('https://unknown.example', platform.clientId);
    expect(unknownIssuer.status).toBe(400);
    expect(await unknownIssuer.text()).toContain('https://unknown.example');
    const unknownClient = await ask(platform.issuer, 'not-a-client');
    expect(unknownClient.status).toBe(400);
    expect(await unknownClient.text()).toContain('not-a-client');
  });
});

describe('POST /lti/launch refusals (nothing is written but the audit log)', () => {
  let before: Awaited<ReturnType<typeof launchRows>>;
  beforeEach(async () => {
    before = await launchRows();
  });

  const claims = () => platform.resourceLinkClaims('refused-user');

  it('refuses a bad signature', async () => {
    const started = await login(db(), platform);
    const token = await platform.idToken(claims(), { nonce: started.nonce, key: 'other' });
    const audits = await db().ltiAuditLog.count();
    await expectRefused(
      await launch(db(), { id_token: token, state: started.state }, started.cookie),
      401,
      /signature/i,
      before,
    );
    expect(await db().ltiAuditLog.count()).toBe(audits + 1);
  });

  it('refuses alg none and HS256', async () => {
    const started = await login(db(), platform);
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      ...claims(),
      iss: platform.issuer,
      aud: platform.clientId,
      iat: now,
      exp: now + 300,
      nonce: started.nonce,
    };
    await expectRefused(
      await launch(
        db(),
        { id_token: unsigned({ alg: 'none', typ: 'JWT' }, payload), state: started.state },
        started.cookie,
      ),
      401,
      /algorithm &#34;none&#34;/,
      before,
    );
    const hs = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a-shared-secret-of-32-characters!!'));
    await expectRefused(
      await launch(db(), { id_token: hs, state: started.state }, started.cookie),
      401,
      /algorithm &#34;HS256&#34;/,
      before,
    );
  });

  it('refuses an expired token and one issued in the future', async () => {
    const started = await login(db(), platform);
    const past = Math.floor(Date.now() / 1000) - 600;
    const expired = await platform.idToken(claims(), { nonce: started.nonce, issuedAt: past, expiresIn: 300 });
    await expectRefused(
      await launch(db(), { id_token: expired, state: started.state }, started.cookie),
      401,
      /expired/i,
      before,
    );
    const future = await platform.idToken(claims(), {
      nonce: started.nonce,
      issuedAt: Math.floor(Date.now() / 1000) + 120,
    });
    await expectRefused(
      await launch(db(), { id_token: future, state: started.state }, started.cookie),
      401,
      /future/i,
      before,
    );
  });

  it('refuses a wrong audience, and several audiences without azp', async () => {
    const started = await login(db(), platform);
    const wrong = await platform.idToken(claims(), { nonce: started.nonce, aud: 'someone-else' });
    await expectRefused(
      await launch(db(), { id_token: wrong, state: started.state }, started.cookie),
      401,
      /audience/i,
      before,
    );
    const several = await platform.idToken(claims(), { nonce: started.nonce, aud: [platform.clientId, 'other'] });
    await expectRefused(
      await launch(db(), { id_token: several, state: started.state }, started.cookie),
      401,
      /azp/i,
      before,
    );
  });

  it('refuses an unknown kid (after fetching the key set again)', async () => {
    const started = await login(db(), platform);
    const token = await platform.idToken(claims(), { nonce: started.nonce, kid: 'no-such-kid' });
    await expectRefused(
      await launch(db(), { id_token: token, state: started.state }, started.cookie),
      401,
      /key id \(kid\)/,
      before,
    );
  });

  it('refuses an unregistered deployment', async () => {
    const started = await login(db(), platform);
    const token = await platform.idToken(
      { ...claims(), 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'deployment-x' },
      { nonce: started.nonce },
    );
    await expectRefused(
      await launch(db(), { id_token: token, state: started.state }, started.cookie),
      403,
      /deployment-x/,
      before,
    );
  });

  it('refuses a nonce that was not issued for this state, and a replayed launch', async () => {
    const first = await login(db(), platform);
    const second = await login(db(), platform);
    const token = await platform.idToken(claims(), { nonce: first.nonce });
    await expectRefused(
      await launch(db(), { id_token: token, state: second.state }, second.cookie),
      401,
      /nonce/i,
      before,
    );
    const good = await launch(db(), { id_token: token, state: first.state }, first.cookie);
    expect(good.status).toBe(302);
    const afterGood = await launchRows();
    await expectRefused(
      await launch(db(), { id_token: token, state: first.state }, first.cookie),
      400,
      /already used/,
      afterGood,
    );
  });

  it('refuses a missing state, an unknown state, a state cookie of another login, and no state cookie at all', async () => {
    const started = await login(db(), platform);
    const other = await login(db(), platform);
    const token = await platform.idToken(claims(), { nonce: started.nonce });
    await expectRefused(await launch(db(), { id_token: token }, started.cookie), 400, /no state/, before);
    await expectRefused(
      await launch(db(), { id_token: token, state: 'made-up-state' }, started.cookie),
      400,
      /state/,
      before,
    );
    await expectRefused(
      await launch(db(), { id_token: token, state: started.state }, other.cookie),
      400,
      /different login/,
      before,
    );
    await expectRefused(
      await launch(db(), { id_token: token, state: started.state }, null),
      400,
      /cookie is missing/,
      before,
    );
  });

  it('refuses a wrong version, a wrong message type and a missing sub', async () => {
    for (const [change, words] of [
      [{ 'https://purl.imsglobal.org/spec/lti/claim/version': '1.1' }, /version/],
      [{ 'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiSubmissionReviewRequest' }, /message type/],
    ] as const) {
      const started = await login(db(), platform);
      const token = await platform.idToken({ ...claims(), ...change }, { nonce: started.nonce });
      await expectRefused(
        await launch(db(), { id_token: token, state: started.state }, started.cookie),
        400,
        words,
        before,
      );
    }
    const started = await login(db(), platform);
    const token = await platform.idToken(platform.resourceLinkClaims(undefined), { nonce: started.nonce });
    await expectRefused(
      await launch(db(), { id_token: token, state: started.state }, started.cookie),
      400,
      /no sub/,
      before,
    );
  });

  it('refuses a resource link launch without its resource_link claim', async () => {
    const started = await login(db(), platform);
    const broken = { ...claims() };
    delete broken['https://purl.imsglobal.org/spec/lti/claim/resource_link'];
    const token = await platform.idToken(broken, { nonce: started.nonce });
    await expectRefused(
      await launch(db(), { id_token: token, state: started.state }, started.cookie),
      400,
      /resource_link/,
      before,
    );
  });
});

describe('resource link launches', () => {
  it('maps (iss, sub) to one learner and (iss, deployment, context) to one class named from the context title', async () => {
    const first = await fullLaunch(db(), platform, platform.resourceLinkClaims('student-1', { name: 'Grace Student' }));
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/lessons/chain-rule-computational-graphs');
    const sessionCookie = first.headers.getSetCookie().find((value) => value.startsWith('autodidact_session='))!;
    expect(sessionCookie).toMatch(/SameSite=None/i);
    expect(sessionCookie).toMatch(/Secure/i);
    const session = await findSession(
      db(),
      await sessionIdFrom(new Request(TOOL, { headers: { cookie: cookiesOf(first) } })),
    );
    const user = await db().ltiUser.findUniqueOrThrow({
      where: { platformId_sub: { platformId: (await db().ltiPlatform.findFirstOrThrow()).id, sub: 'student-1' } },
    });
    expect(session?.learnerId).toBe(user.learnerId);
    const learner = await db().learner.findUniqueOrThrow({
      where: { id: user.learnerId },
      include: { enrollments: { include: { cohort: true } } },
    });
    expect(learner.displayName).toBe('Grace Student');
    expect(learner.enrollments).toHaveLength(1);
    // Untrusted text is stored as text; pages escape it when they render it.
    expect(learner.enrollments[0]!.cohort.name).toBe('Calculus 101 <b>bold</b>');
    // A "Started" score is queued at the first launch.
    expect(await db().ltiScoreOutbox.count({ where: { learnerId: user.learnerId } })).toBe(1);

    const again = await fullLaunch(db(), platform, platform.resourceLinkClaims('student-1', { name: 'Grace Student' }));
    expect(again.status).toBe(302);
    const sessionAgain = await findSession(
      db(),
      await sessionIdFrom(new Request(TOOL, { headers: { cookie: cookiesOf(again) } })),
    );
    expect(sessionAgain?.learnerId).toBe(user.learnerId);
    expect(await db().ltiUser.count({ where: { sub: 'student-1' } })).toBe(1);
    expect(await db().ltiContext.count({ where: { contextId: 'course-1' } })).toBe(1);
    expect(await db().ltiScoreOutbox.count({ where: { learnerId: user.learnerId } })).toBe(1);
  });

  it('signs an instructor in to the class dashboard and makes them its owner', async () => {
    const response = await fullLaunch(
      db(),
      platform,
      platform.resourceLinkClaims('teacher-1', {
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
        name: 'Ines Teacher',
        contextId: 'course-teach',
      }),
    );
    expect(response.status).toBe(302);
    const location = response.headers.get('location')!;
    expect(location).toMatch(/^\/instructor\/classes\/[0-9a-f-]+$/);
    const cohortId = location.split('/').at(-1)!;
    const instructor = await currentInstructor(db(), new Headers({ cookie: cookiesOf(response) }));
    expect(instructor?.name).toBe('Ines Teacher');
    const cohort = await db().cohort.findUniqueOrThrow({ where: { id: cohortId } });
    expect(cohort.ownerId).toBe(instructor?.id);
    // Not a learner of their own class.
    expect(await db().enrollment.count({ where: { cohortId } })).toBe(0);
  });

  it('offers a framed instructor launch the dashboard in a new tab, and frames it only for the platform', async () => {
    const response = await fullLaunch(
      db(),
      platform,
      platform.resourceLinkClaims('teacher-2', {
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
        contextId: 'course-teach',
      }),
      { 'sec-fetch-dest': 'iframe' },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Open the class dashboard in a new tab');
    expect(response.headers.get('content-security-policy')).toContain(`frame-ancestors ${platform.issuer}`);
    expect(response.headers.get('x-frame-options')).toBeNull();
  });

  it('sends a framed learner to the framed lesson page, signed for the platform origin only', async () => {
    const response = await fullLaunch(db(), platform, platform.resourceLinkClaims('student-frame'), {
      'sec-fetch-dest': 'iframe',
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!, TOOL);
    expect(location.pathname).toBe('/lti/lessons/chain-rule-computational-graphs');
    expect(location.searchParams.get('frame')).toBe(platform.issuer);
    const { verifiedFrameOrigins } = await import('@/lib/server/lti/frame-token');
    expect(
      verifiedFrameOrigins(
        'chain-rule-computational-graphs',
        location.searchParams.get('frame'),
        location.searchParams.get('sig'),
      ),
    ).toEqual([platform.issuer]);
    expect(
      verifiedFrameOrigins('chain-rule-computational-graphs', 'https://evil.example', location.searchParams.get('sig')),
    ).toEqual([]);
  });

  it('continues a framed launch without its cookie once, in a new tab', async () => {
    const started = await login(db(), platform);
    const token = await platform.idToken(platform.resourceLinkClaims('student-newtab'), { nonce: started.nonce });
    const framed = await launch(db(), { id_token: token, state: started.state }, null, { 'sec-fetch-dest': 'iframe' });
    expect(framed.status).toBe(200);
    const page = await framed.text();
    expect(page).toContain('Open in a new tab');
    const continueToken = /name="continue" value="([^"]+)"/.exec(page)![1]!;
    const inTab = await launch(db(), { id_token: token, state: started.state, continue: continueToken }, null);
    expect(inTab.status).toBe(302);
    const again = await launch(db(), { id_token: token, state: started.state, continue: continueToken }, null);
    expect(again.status).toBe(400);
  });

  it('keeps state in the platform storage frame when offered (lti_storage_target)', async () => {
    const started = await login(db(), platform, 'learner', { lti_storage_target: '_parent' });
    expect(started.response.status).toBe(200);
    const page = await started.response.text();
    expect(page).toContain('lti.put_data');
    const token = await platform.idToken(platform.resourceLinkClaims('student-storage'), { nonce: started.nonce });
    const check = await launch(db(), { id_token: token, state: started.state, lti_storage_target: '_parent' }, null, {
      'sec-fetch-dest': 'iframe',
    });
    expect(check.status).toBe(200);
    expect(await check.text()).toContain('lti.get_data');
    const done = await launch(
      db(),
      { id_token: token, state: started.state, lti_storage_target: '_parent', lti_storage_state: started.state },
      null,
      { 'sec-fetch-dest': 'iframe' },
    );
    expect(done.status).toBe(302);
  });

  it('accepts tokens signed with a rotated platform key (the key set is fetched again)', async () => {
    await fullLaunch(db(), platform, platform.resourceLinkClaims('student-rotate'));
    await platform.rotateKeys();
    await new Promise((resolve) => setTimeout(resolve, 150)); // past the test's 100 ms cooldown
    const response = await fullLaunch(db(), platform, platform.resourceLinkClaims('student-rotate'));
    expect(response.status).toBe(302);
  });

  it("never lets one platform's launch reach another platform's class or learner", async () => {
    const other = await new TestPlatform({ toolJwks: () => publicJwks(database.db) }).start();
    try {
      await addPlatform(db(), other.registration('Other LMS'));
      const mine = await fullLaunch(
        db(),
        platform,
        platform.resourceLinkClaims('same-sub', { contextId: 'same-course' }),
      );
      const theirs = await fullLaunch(db(), other, other.resourceLinkClaims('same-sub', { contextId: 'same-course' }));
      expect(mine.status).toBe(302);
      expect(theirs.status).toBe(302);
      const users = await db().ltiUser.findMany({ where: { sub: 'same-sub' } });
      expect(new Set(users.map((user) => user.learnerId)).size).toBe(2);
      const contexts = await db().ltiContext.findMany({ where: { contextId: 'same-course' } });
      expect(new Set(contexts.map((context) => context.cohortId)).size).toBe(2);
      // A token from the other platform against this platform's login state is refused.
      const started = await login(db(), platform);
      const crossed = await other.idToken(other.resourceLinkClaims('same-sub'), { nonce: started.nonce });
      expect((await launch(db(), { id_token: crossed, state: started.state }, started.cookie)).status).toBe(400);
    } finally {
      await other.stop();
    }
  });
});

describe('deep linking', () => {
  it('lists the lessons and answers with a signed LtiDeepLinkingResponse that echoes data and carries a line item', async () => {
    const response = await fullLaunch(db(), platform, platform.deepLinkingClaims('teacher-dl'));
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Choose a lesson');
    const ticket = /name="ticket" value="([^"]+)"/.exec(page)![1]!;
    const chosen = await handleDeepLinkChoice(
      db(),
      new Request(`${TOOL}/lti/deep-link`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ticket, lesson: 'chain-rule-computational-graphs' }).toString(),
      }),
    );
    expect(chosen.status).toBe(200);
    expect(chosen.headers.get('content-security-policy')).toContain(`form-action 'self' ${platform.issuer}`);
    const html = await chosen.text();
    expect(html).toContain(`action="${platform.issuer}/deep-link-return"`);
    const jwt = /name="JWT" value="([^"]+)"/.exec(html)![1]!;
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(await publicJwks(db())), {
      algorithms: ['RS256'],
      issuer: platform.clientId,
      audience: platform.issuer,
    });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload['https://purl.imsglobal.org/spec/lti/claim/message_type']).toBe('LtiDeepLinkingResponse');
    expect(payload['https://purl.imsglobal.org/spec/lti/claim/version']).toBe('1.3.0');
    expect(payload['https://purl.imsglobal.org/spec/lti/claim/deployment_id']).toBe(platform.deploymentId);
    expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/data']).toBe('opaque-platform-data');
    expect(typeof payload.nonce).toBe('string');
    const questions = await db().question.count({ where: { lessonSlug: 'chain-rule-computational-graphs' } });
    const items = payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: 'ltiResourceLink',
      url: `${TOOL}/lessons/chain-rule-computational-graphs`,
      lineItem: { scoreMaximum: questions, resourceId: 'chain-rule-computational-graphs' },
    });
    expect(typeof items[0]!.title).toBe('string');
    expect(typeof (items[0]!.lineItem as { label: unknown }).label).toBe('string');
  });

  it('refuses deep linking to a learner role', async () => {
    const claims = {
      ...platform.deepLinkingClaims('student-dl'),
      'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    };
    const response = await fullLaunch(db(), platform, claims);
    expect(response.status).toBe(403);
  });
});

describe('GET /lti/jwks', () => {
  it('publishes RSA public keys only, and keeps the old key published after a rotation', async () => {
    const before = await publicJwks(db());
    expect(before.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of before.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      expect(typeof key.kid).toBe('string');
      expect(Buffer.from(key.n!, 'base64url').length * 8).toBeGreaterThanOrEqual(2048);
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
    }
    const { kid, retired } = await rotateSigningKey(db());
    const after = await publicJwks(db());
    expect(after.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([kid, ...retired]));
    expect(await db().ltiKey.count({ where: { retiredAt: null } })).toBe(1);
  });
});
