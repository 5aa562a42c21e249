-- AlterTable
ALTER TABLE "Cohort" ADD COLUMN "archivedAt" DATETIME;

-- CreateTable
CREATE TABLE "CohortStaff" (
    "cohortId" TEXT NOT NULL,
    "instructorId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("cohortId", "instructorId"),
    CONSTRAINT "CohortStaff_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CohortStaff_instructorId_fkey" FOREIGN KEY ("instructorId") REFERENCES "Instructor" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AttemptGrant" (
    "learnerId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "extraAttempts" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("learnerId", "questionId"),
    CONSTRAINT "AttemptGrant_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AttemptGrant_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cohortId" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditEvent_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CohortStaff_instructorId_idx" ON "CohortStaff"("instructorId");

-- CreateIndex
CREATE INDEX "AuditEvent_cohortId_createdAt_idx" ON "AuditEvent"("cohortId", "createdAt");
