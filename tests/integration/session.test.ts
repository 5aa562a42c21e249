import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fileSecret } from '@/lib/server/secret';

import { getState, newLearner } from './helpers/learner-client';
import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createQuizDatabase();
});
afterAll(async () => {
  await database?.cleanup();
});

describe('sessions', () => {
  it('the first state request creates a learner, a session row and an HttpOnly SameSite=Lax cookie', async () => {
    const learners = await database.db.learner.count();
    const response = await getState(database.db);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^autodidact_session=Fe26\.2\*/); // an iron seal, not a bare id
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // only in production
    expect(await database.db.learner.count()).toBe(learners + 1);
    const session = await database.db.session.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(cookie).not.toContain(session.id);
  });

  it('an expired session row is not honoured: the learner gets a new session', async () => {
    const learner = await newLearner(database.db);
    await database.db.session.updateMany({
      where: { learnerId: learner.learnerId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const response = await getState(database.db, learner.cookie);
    expect(response.headers.get('set-cookie')).toMatch(/^autodidact_session=/);
  });

  it('generates one strong secret file when several processes race for it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autodidact-secret-'));
    try {
      const secrets = await Promise.all(Array.from({ length: 8 }, () => Promise.resolve().then(() => fileSecret(dir))));
      expect(new Set(secrets).size).toBe(1);
      expect(secrets[0]!.length).toBeGreaterThanOrEqual(43);
      const file = path.join(dir, 'session-secret');
      expect(readFileSync(file, 'utf8')).toBe(secrets[0]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(fileSecret(dir)).toBe(secrets[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
