import 'server-only';

import type { Db } from '../db/client';
import { classProblemReports } from '../problem-reports';
import {
  addMyPlatform,
  myLmsConnections,
  myRegistrationLink,
  removeMyPlatform,
  retryDeliveriesNow,
  syncRosterNow,
} from '../lti/instructor';
import { allQuizzes } from '../quiz-content';
import { requireInstructor } from './access';
import { questionAnalysis, variantFacility } from './analysis';
import { createClass, listMyClasses, rotateJoinCode } from './classes';
import { gradebookCsv, overviewCsv, responsesCsv, xapiExport } from './exports';
import {
  changeMyPassword,
  classAuditLog,
  classStaff,
  deleteLearnerData,
  grantExtraAttempts,
  learnersNotStarted,
  removeLearner,
  renameClass,
  resetAttempts,
  setClassArchived,
  shareClass,
  unshareClass,
} from './manage';
import { classOverview } from './overview';
import { learnerTimeline } from './timeline';

/**
 * Every instructor page, server action and export, with the data function it calls. The pages,
 * actions and route handlers under app/instructor and app/api/instructor are thin wrappers
 * around these functions, and tests/integration/instructor-access.test.ts calls each entry as
 * nobody, as a learner and as another instructor. The same test fails when a file or action
 * under those folders is missing from this list, so a new endpoint cannot skip the refusals.
 */

export interface EndpointContext {
  cohortId: string;
  learnerId: string;
}

export interface InstructorEndpoint {
  /** `app/...` file, with `#export` for server actions. */
  source: string;
  /** 'class': the request names a class, so another instructor must be refused too. */
  scope: 'instructor' | 'class';
  call: (db: Db, headers: Headers, context: EndpointContext) => Promise<unknown>;
  /**
   * What the owner gets, when not a plain success: calls that would destroy the test's shared
   * learner or class are made with an input that fails after the permission check (issue 19).
   */
  ownerOutcome?: { status: number; code: string };
}

/** A question of the course, for the attempt controls' entries. */
const someQuestionId = () => allQuizzes()[0]?.questions[0]?.id ?? 'none';

export const instructorEndpoints: readonly InstructorEndpoint[] = [
  // Issue 19: class settings, sharing, audit log, learner controls, account.
  {
    source: 'app/instructor/classes/[cohortId]/manage/page.tsx',
    scope: 'class',
    call: async (db, headers, { cohortId }) => [
      await classStaff(db, headers, cohortId),
      await learnersNotStarted(db, headers, cohortId),
    ],
  },
  {
    source: 'app/instructor/classes/[cohortId]/manage/actions.ts#renameClassAction',
    scope: 'class',
    call: (db, headers, { cohortId }) => renameClass(db, headers, cohortId, { name: '' }),
    ownerOutcome: { status: 400, code: 'invalid-input' },
  },
  {
    source: 'app/instructor/classes/[cohortId]/manage/actions.ts#archiveClassAction',
    scope: 'class',
    // Reopening a class that is open changes nothing.
    call: (db, headers, { cohortId }) => setClassArchived(db, headers, cohortId, false),
  },
  {
    source: 'app/instructor/classes/[cohortId]/manage/actions.ts#shareClassAction',
    scope: 'class',
    call: (db, headers, { cohortId }) =>
      shareClass(db, headers, cohortId, { email: 'nobody@autodidact.invalid', role: 'ta' }),
    ownerOutcome: { status: 422, code: 'unknown-instructor' },
  },
  {
    source: 'app/instructor/classes/[cohortId]/manage/actions.ts#unshareClassAction',
    scope: 'class',
    call: (db, headers, { cohortId }) => unshareClass(db, headers, cohortId, 'nobody'),
    ownerOutcome: { status: 422, code: 'not-shared' },
  },
  {
    source: 'app/instructor/classes/[cohortId]/audit/page.tsx',
    scope: 'class',
    call: (db, headers, { cohortId }) => classAuditLog(db, headers, cohortId),
  },
  {
    source: 'app/instructor/classes/[cohortId]/learners/[learnerId]/actions.ts#grantAttemptsAction',
    scope: 'class',
    call: (db, headers, { cohortId, learnerId }) =>
      grantExtraAttempts(db, headers, cohortId, learnerId, { questionId: someQuestionId(), extraAttempts: 1 }),
  },
  {
    source: 'app/instructor/classes/[cohortId]/learners/[learnerId]/actions.ts#resetAttemptsAction',
    scope: 'class',
    call: (db, headers, { cohortId, learnerId }) =>
      resetAttempts(db, headers, cohortId, learnerId, { questionId: someQuestionId() }),
  },
  {
    source: 'app/instructor/classes/[cohortId]/learners/[learnerId]/actions.ts#removeLearnerAction',
    scope: 'class',
    call: (db, headers, { cohortId }) => removeLearner(db, headers, cohortId, 'not-in-this-class'),
    ownerOutcome: { status: 403, code: 'not-your-learner' },
  },
  {
    source: 'app/instructor/classes/[cohortId]/learners/[learnerId]/actions.ts#deleteLearnerAction',
    scope: 'class',
    call: (db, headers, { cohortId, learnerId }) =>
      deleteLearnerData(db, headers, cohortId, learnerId, 'not confirmed'),
    ownerOutcome: { status: 400, code: 'invalid-input' },
  },
  {
    source: 'app/instructor/account/page.tsx',
    scope: 'instructor',
    call: (db, headers) => requireInstructor(db, headers),
  },
  {
    source: 'app/instructor/account/actions.ts#changePasswordAction',
    scope: 'instructor',
    call: (db, headers) =>
      changeMyPassword(db, headers, { currentPassword: 'not the password', newPassword: 'a new long passphrase 7' }),
    ownerOutcome: { status: 400, code: 'wrong-password' },
  },
  { source: 'app/instructor/page.tsx', scope: 'instructor', call: (db, headers) => listMyClasses(db, headers) },
  {
    source: 'app/instructor/actions.ts#createClassAction',
    scope: 'instructor',
    call: (db, headers) => createClass(db, headers, { name: 'Refusal test' }),
  },
  {
    source: 'app/instructor/classes/[cohortId]/page.tsx',
    scope: 'class',
    call: (db, headers, { cohortId }) => classOverview(db, headers, cohortId, {}),
  },
  {
    source: 'app/instructor/classes/[cohortId]/actions.ts#rotateJoinCodeAction',
    scope: 'class',
    call: (db, headers, { cohortId }) => rotateJoinCode(db, headers, cohortId),
  },
  {
    source: 'app/instructor/classes/[cohortId]/questions/page.tsx',
    scope: 'class',
    call: (db, headers, { cohortId }) => questionAnalysis(db, headers, cohortId),
  },
  {
    source: 'app/instructor/classes/[cohortId]/questions/variants/page.tsx',
    scope: 'class',
    call: (db, headers, { cohortId }) => variantFacility(db, headers, cohortId),
  },
  {
    source: 'app/instructor/classes/[cohortId]/learners/[learnerId]/page.tsx',
    scope: 'class',
    call: (db, headers, { cohortId, learnerId }) => learnerTimeline(db, headers, cohortId, learnerId),
  },
  {
    source: 'app/instructor/classes/[cohortId]/reports/page.tsx',
    scope: 'class',
    call: (db, headers, { cohortId }) => classProblemReports(db, headers, cohortId),
  },
  {
    source: 'app/api/instructor/classes/[cohortId]/overview.csv/route.ts',
    scope: 'class',
    call: (db, headers, { cohortId }) => overviewCsv(db, headers, cohortId),
  },
  {
    source: 'app/api/instructor/classes/[cohortId]/responses.csv/route.ts',
    scope: 'class',
    call: (db, headers, { cohortId }) => responsesCsv(db, headers, cohortId),
  },
  {
    source: 'app/api/instructor/classes/[cohortId]/gradebook.csv/route.ts',
    scope: 'class',
    call: (db, headers, { cohortId }) => gradebookCsv(db, headers, cohortId),
  },
  {
    source: 'app/api/instructor/classes/[cohortId]/xapi.json/route.ts',
    scope: 'class',
    call: (db, headers, { cohortId }) => xapiExport(db, headers, cohortId, 'http://localhost'),
  },
  // Issue 18: LMS connections and the class dashboard's LMS actions (lib/server/lti/instructor.ts).
  { source: 'app/instructor/lms/page.tsx', scope: 'instructor', call: (db, headers) => myLmsConnections(db, headers) },
  {
    source: 'app/instructor/lms/actions.ts#addPlatformAction',
    scope: 'instructor',
    call: (db, headers) => addMyPlatform(db, headers, {}),
    ownerOutcome: { status: 400, code: 'invalid-input' },
  },
  {
    source: 'app/instructor/lms/actions.ts#registrationLinkAction',
    scope: 'instructor',
    call: (db, headers) => myRegistrationLink(db, headers),
  },
  {
    source: 'app/instructor/lms/actions.ts#removePlatformAction',
    scope: 'instructor',
    call: (db, headers) => removeMyPlatform(db, headers, 'no-such-connection'),
    ownerOutcome: { status: 403, code: 'not-your-connection' },
  },
  {
    source: 'app/instructor/lms/actions.ts#retryDeliveriesAction',
    scope: 'class',
    call: (db, headers, { cohortId }) => retryDeliveriesNow(db, headers, cohortId),
  },
  {
    source: 'app/instructor/lms/actions.ts#syncRosterAction',
    scope: 'class',
    // A class made with a join code has no LMS roster: refused after the permission check.
    call: (db, headers, { cohortId }) => syncRosterNow(db, headers, cohortId),
    ownerOutcome: { status: 409, code: 'no-roster' },
  },
];

/**
 * Pages and actions under app/instructor that must work without an instructor session: signing
 * in, the one-time setup, and signing out (which is a no-op without a session).
 */
export const publicInstructorSources: readonly string[] = [
  'app/instructor/login/page.tsx',
  'app/instructor/setup/page.tsx',
  'app/instructor/actions.ts#signInAction',
  'app/instructor/actions.ts#setupAction',
  'app/instructor/actions.ts#signOutAction',
];
