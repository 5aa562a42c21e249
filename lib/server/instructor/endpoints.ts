import 'server-only';

import type { Db } from '../db/client';
import { classProblemReports } from '../problem-reports';
import { questionAnalysis } from './analysis';
import { createClass, listMyClasses, rotateJoinCode } from './classes';
import { gradebookCsv, overviewCsv, responsesCsv, xapiExport } from './exports';
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
}

export const instructorEndpoints: readonly InstructorEndpoint[] = [
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
