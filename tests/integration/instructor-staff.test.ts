// Shared classes (issue 19): an owner shares a class with a co-instructor and a read-only TA.
// The TA sees the dashboards but cannot change anything; the co-instructor can change the class
// but not share it; someone with no role sees nothing; a revoked role stops working at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createInstructor, signIn } from '@/lib/server/auth/accounts';
import { HttpError } from '@/lib/server/http';
import { requireCohortRole } from '@/lib/server/instructor/access';
import { createClass, listMyClasses, rotateJoinCode } from '@/lib/server/instructor/classes';
import { classOverview } from '@/lib/server/instructor/overview';
import { cohortRoleOf, grantCohortRole, listCohortStaff, revokeCohortRole } from '@/lib/server/instructor/staff';

import { createQuizDatabase } from './helpers/quiz-database';
import type { TestDatabase } from './helpers/test-database';

const PASSWORD = 'correct horse battery staple';
let database: TestDatabase;
const ids: Record<'owner' | 'co' | 'ta' | 'stranger', string> = { owner: '', co: '', ta: '', stranger: '' };
const headers: Record<keyof typeof ids, Headers> = {
  owner: new Headers(),
  co: new Headers(),
  ta: new Headers(),
  stranger: new Headers(),
};
let cohortId: string;

async function refusal(run: () => Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code };
    throw error;
  }
  return { status: 200, code: 'ok' };
}

beforeAll(async () => {
  database = await createQuizDatabase();
  for (const who of Object.keys(ids) as (keyof typeof ids)[]) {
    const email = `${who}@example.org`;
    ids[who] = (await createInstructor(database.db, { name: who, email, password: PASSWORD })).id;
    const result = await signIn(database.db, new Headers(), { email, password: PASSWORD });
    headers[who] = new Headers({ cookie: result.setCookies.map((value) => value.split(';')[0]).join('; ') });
  }
  ({ id: cohortId } = await createClass(database.db, headers.owner, { name: 'Shared class' }));
  await grantCohortRole(database.db, cohortId, ids.co, 'instructor');
  await grantCohortRole(database.db, cohortId, ids.ta, 'ta');
});
afterAll(async () => {
  await database?.cleanup();
});

describe('class staff', () => {
  it('gives each person the role they were granted; the creator is owner without a staff row', async () => {
    expect((await cohortRoleOf(database.db, ids.owner, cohortId))?.role).toBe('owner');
    expect((await cohortRoleOf(database.db, ids.co, cohortId))?.role).toBe('instructor');
    expect((await cohortRoleOf(database.db, ids.ta, cohortId))?.role).toBe('ta');
    expect(await cohortRoleOf(database.db, ids.stranger, cohortId)).toBeNull();
    expect(await cohortRoleOf(database.db, ids.owner, 'no-such-class')).toBeNull();
    const staff = await listCohortStaff(database.db, cohortId);
    expect(staff.map((person) => [person.name, person.role])).toEqual([
      ['owner', 'owner'],
      ['co', 'instructor'],
      ['ta', 'ta'],
    ]);
  });

  it('lists shared classes on the class list of co-instructors and TAs, not strangers', async () => {
    for (const who of ['owner', 'co', 'ta'] as const) {
      expect((await listMyClasses(database.db, headers[who])).map((c) => c.id)).toEqual([cohortId]);
    }
    expect(await listMyClasses(database.db, headers.stranger)).toEqual([]);
  });

  it('lets a TA read the dashboard but not change the class', async () => {
    expect((await refusal(() => classOverview(database.db, headers.ta, cohortId, {}))).status).toBe(200);
    expect(await refusal(() => rotateJoinCode(database.db, headers.ta, cohortId))).toEqual({
      status: 403,
      code: 'read-only',
    });
    expect((await refusal(() => rotateJoinCode(database.db, headers.co, cohortId))).status).toBe(200);
    expect(await refusal(() => classOverview(database.db, headers.stranger, cohortId, {}))).toEqual({
      status: 403,
      code: 'not-your-class',
    });
  });

  it('keeps owner-only rights for owners', async () => {
    expect((await refusal(() => requireCohortRole(database.db, headers.owner, cohortId, 'owner'))).status).toBe(200);
    expect(await refusal(() => requireCohortRole(database.db, headers.co, cohortId, 'owner'))).toEqual({
      status: 403,
      code: 'owner-only',
    });
  });

  it('changes and revokes roles at once', async () => {
    await grantCohortRole(database.db, cohortId, ids.ta, 'instructor');
    expect((await refusal(() => rotateJoinCode(database.db, headers.ta, cohortId))).status).toBe(200);
    await grantCohortRole(database.db, cohortId, ids.ta, 'ta');
    expect(await revokeCohortRole(database.db, cohortId, ids.ta)).toBe(true);
    expect(await refusal(() => classOverview(database.db, headers.ta, cohortId, {}))).toEqual({
      status: 403,
      code: 'not-your-class',
    });
    // The creator cannot be demoted by a staff row.
    await grantCohortRole(database.db, cohortId, ids.owner, 'ta');
    expect((await cohortRoleOf(database.db, ids.owner, cohortId))?.role).toBe('owner');
    await revokeCohortRole(database.db, cohortId, ids.owner);
  });

  it('rejects a role that does not exist', async () => {
    await expect(grantCohortRole(database.db, cohortId, ids.stranger, 'admin' as never)).rejects.toThrow();
    expect(await cohortRoleOf(database.db, ids.stranger, cohortId)).toBeNull();
  });
});
