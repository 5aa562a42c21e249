import 'server-only';

import { Prisma } from '../db/generated/sqlite/client';

// Its own module, with no other imports: the answer worker thread (db/answer-worker.ts) bundles it.

/**
 * The outbox rows for the answers `responseIds`, as one statement for the answer's transaction.
 * Rows whose answer lost to a twin (the insert's ON CONFLICT) do not exist, so they add nothing.
 */
export function ltiOutboxInsert(responseIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "LtiScoreOutbox" ("id", "learnerId", "resourceLinkId", "responseId", "createdAt", "status", "attempts", "nextAttemptAt")
    SELECT r."id" || ':' || g."resourceLinkId", r."learnerId", g."resourceLinkId", r."id", r."createdAt", 'pending', 0, r."createdAt"
    FROM "Response" r
    JOIN "LtiGradeLink" g ON g."learnerId" = r."learnerId"
    JOIN "Question" q ON q."id" = r."questionId" AND q."lessonSlug" = g."lessonSlug"
    WHERE r."id" IN (${Prisma.join(responseIds)})
    ON CONFLICT ("id") DO NOTHING`;
}
