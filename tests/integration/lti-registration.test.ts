// LTI registration (issue 18): Dynamic Registration only from a one-time link, the LMS connections
// functions with their permission checks, and two processes delivering the same outbox at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import { createDb } from '@/lib/server/db/client';
import { HttpError } from '@/lib/server/http';
import { addMyPlatform, myLmsConnections, removeMyPlatform, myRegistrationLink } from '@/lib/server/lti/instructor';
import { publicJwks } from '@/lib/server/lti/keys';
import { deleteExpiredLoginState, deliverDueScores } from '@/lib/server/lti/outbox';
import { addPlatform, listPlatforms, removePlatform } from '@/lib/server/lti/platforms';
import { createRegistrationLink, handleRegistration } from '@/lib/server/lti/registration';
import { TestPlatform } from '@/tests/lti-platform/platform';
import { cookiesOf, fullLaunch, TOOL } from '@/tests/lti-platform/tool-client';

import { choiceLetters, submit } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';
import { sessionIdFrom } from '@/lib/server/session';

let database: TestDatabase;
let platform: TestPlatform;
const db = () => database.db;

beforeAll(async () => {
  database = await createQuizDatabase();
  platform = await new TestPlatform({ toolJwks: () => publicJwks(database.db) }).start();
});

afterAll(async () => {
  await platform?.stop();
  await database?.cleanup();
});

async function instructorHeaders(email: string): Promise<Headers> {
  await createInstructor(db(), { name: email.split('@')[0]!, email, password: 'a long enough password 123' });
  const result = await signIn(db(), new Headers(), { email, password: 'a long enough password 123' });
  return new Headers({ cookie: result.setCookies.map((value) => value.split(';')[0]).join('; ') });
}

const register = (query: Record<string, string>) =>
  handleRegistration(db(), new Request(`${TOOL}/lti/register?${new URLSearchParams(query).toString()}`));

describe('LTI Dynamic Registration', () => {
  it('refuses a registration without a one-time link, or with a made-up one', async () => {
    const config = `${platform.issuer}/.well-known/openid-configuration`;
    const none = await register({ openid_configuration: config, registration_token: 'reg-token' });
    expect(none.status).toBe(403);
    expect(await none.text()).toContain('one-time link');
    const madeUp = await register({
      link: 'x'.repeat(32),
      openid_configuration: config,
      registration_token: 'reg-token',
    });
    expect(madeUp.status).toBe(403);
    expect(platform.registrations).toHaveLength(0);
    expect(await db().ltiPlatform.count()).toBe(0);
  });

  it('registers with the LMS from a one-time link, once, owned by the instructor who made it', async () => {
    const headers = await instructorHeaders('dyn@example.org');
    const { url } = await myRegistrationLink(db(), headers);
    const link = new URL(url).searchParams.get('link')!;
    const config = `${platform.issuer}/.well-known/openid-configuration`;
    const response = await register({ link, openid_configuration: config, registration_token: 'reg-token' });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.text()).toContain('org.imsglobal.lti.close');
    const sent = platform.registrations[0]!;
    expect(sent).toMatchObject({
      initiate_login_uri: `${TOOL}/lti/login`,
      redirect_uris: [`${TOOL}/lti/launch`],
      jwks_uri: `${TOOL}/lti/jwks`,
      token_endpoint_auth_method: 'private_key_jwt',
    });
    const [registered] = await listPlatforms(db());
    expect(registered).toMatchObject({
      issuer: platform.issuer,
      clientId: platform.clientId,
      deployments: [platform.deploymentId],
      authUrl: platform.authUrl,
    });
    const connections = await myLmsConnections(db(), headers);
    expect(connections.platforms.map((entry) => entry.issuer)).toEqual([platform.issuer]);
    // The link works once.
    const again = await register({ link, openid_configuration: config, registration_token: 'reg-token' });
    expect(again.status).toBe(403);
    // Launches now work.
    expect((await fullLaunch(db(), platform, platform.resourceLinkClaims('dyn-learner'))).status).toBe(302);
  });

  it('refuses an openid configuration served from another origin than its issuer', async () => {
    const { url } = await createRegistrationLink(db(), null);
    const link = new URL(url).searchParams.get('link')!;
    const other = await new TestPlatform().start();
    try {
      // The configuration names its own issuer; fetch it through a different host name.
      const config = `${other.issuer.replace('127.0.0.1', 'localhost')}/.well-known/openid-configuration`;
      const response = await register({ link, openid_configuration: config, registration_token: 'reg-token' });
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('issuer&#39;s site');
    } finally {
      await other.stop();
    }
  });
});

describe('LMS connections (instructor page functions)', () => {
  it("lets an instructor add and remove their own connections, never someone else's", async () => {
    const mine = await instructorHeaders('owner@example.org');
    const theirs = await instructorHeaders('other@example.org');
    const added = await addMyPlatform(db(), mine, {
      ...platform.registration('Mine'),
      issuer: 'https://lms.mine.example',
      deploymentId: 'd1',
    });
    await expect(
      addMyPlatform(db(), theirs, { ...platform.registration(), issuer: 'https://lms.mine.example' }),
    ).rejects.toMatchObject({ status: 409 });
    await expect(removeMyPlatform(db(), theirs, added.id)).rejects.toBeInstanceOf(HttpError);
    await expect(addMyPlatform(db(), mine, { issuer: 'not a url' })).rejects.toMatchObject({ status: 400 });
    await expect(myLmsConnections(db(), new Headers())).rejects.toMatchObject({ status: 401 });
    await removeMyPlatform(db(), mine, added.id);
    expect(await db().ltiPlatform.count({ where: { issuer: 'https://lms.mine.example' } })).toBe(0);
  });

  it('the CLI functions add deployments to a known platform and remove by issuer', async () => {
    await addPlatform(db(), { ...platform.registration(), issuer: 'https://cli.example', deploymentId: 'a' });
    await addPlatform(db(), { ...platform.registration(), issuer: 'https://cli.example', deploymentId: 'b' });
    const [found] = await listPlatforms(db(), {
      id: (await db().ltiPlatform.findFirstOrThrow({ where: { issuer: 'https://cli.example' } })).id,
    });
    expect(found!.deployments).toEqual(['a', 'b']);
    expect(await removePlatform(db(), 'https://cli.example')).toBe(1);
    expect(await db().ltiDeployment.count({ where: { platformId: found!.id } })).toBe(0);
  });
});

describe('several processes delivering at once', () => {
  it('delivers each score once when two delivery passes race for the same rows', async () => {
    // PostgreSQL: a second client, as a second instance has. SQLite: one server per database, and
    // two synchronous connections in one thread would only wait on each other's locks, so the two
    // passes share the client (they still race for the lease, statement by statement).
    const second = database.kind === 'postgresql' ? await createDb(database.url, { poolSize: 2 }) : db();
    if ((await db().ltiPlatform.count({ where: { issuer: platform.issuer } })) === 0)
      await addPlatform(db(), platform.registration());
    try {
      const launched = await fullLaunch(db(), platform, platform.resourceLinkClaims('two-workers'));
      const cookie = cookiesOf(launched);
      const session = await db().session.findUniqueOrThrow({
        where: { id: (await sessionIdFrom(new Request(TOOL, { headers: { cookie } })))! },
      });
      const letters = choiceLetters(session.learnerId, 'why-chain-rule');
      expect(
        (await submit(db(), cookie, { questionId: 'why-chain-rule', attempt: 1, answer: { choice: letters.correct } }))
          .status,
      ).toBe(200);
      const before = platform.scores.length;
      const settings = { pollMs: 10, retryBaseMs: 40, retryMaxMs: 160, maxAttempts: 5, leaseMs: 60_000 };
      for (let round = 0; round < 5; round++)
        await Promise.all([deliverDueScores(db(), settings), deliverDueScores(second, settings)]);
      const mine = platform.scores.slice(before).filter((score) => score.body.userId === 'two-workers');
      // The Started score and the answer's score were due together: one delivery covers both.
      expect(mine).toHaveLength(1);
      expect(mine[0]!.body.scoreGiven).toBe(1);
      expect(
        await db().ltiScoreOutbox.count({ where: { learnerId: session.learnerId, status: { not: 'sent' } } }),
      ).toBe(0);
    } finally {
      if (second !== db()) await second.$disconnect();
    }
  });
});

describe('housekeeping', () => {
  it('deletes login states and registration links a day after they expired, and keeps the rest', async () => {
    const platformRow = await db().ltiPlatform.findFirstOrThrow();
    const now = new Date();
    const old = new Date(now.getTime() - 2 * 24 * 60 * 60_000);
    await db().ltiLoginState.createMany({
      data: [
        { state: 'old-state', nonce: 'old-nonce', platformId: platformRow.id, expiresAt: old },
        { state: 'fresh-state', nonce: 'fresh-nonce', platformId: platformRow.id, expiresAt: now },
      ],
    });
    await db().ltiRegistrationToken.create({ data: { tokenHash: 'old-hash', expiresAt: old } });
    await deleteExpiredLoginState(db(), now);
    expect(await db().ltiLoginState.findUnique({ where: { state: 'old-state' } })).toBeNull();
    expect(await db().ltiLoginState.findUnique({ where: { state: 'fresh-state' } })).not.toBeNull();
    expect(await db().ltiRegistrationToken.findUnique({ where: { tokenHash: 'old-hash' } })).toBeNull();
  });
});
