-- DropIndex
DROP INDEX "Response_learnerId_questionId_attempt_score_createdAt_idx";

-- CreateTable
CREATE TABLE "QuestionReportCache" (
    "cohortId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "computedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL,

    PRIMARY KEY ("cohortId", "lessonSlug"),
    CONSTRAINT "QuestionReportCache_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Response_learnerId_questionId_attempt_score_createdAt_selectedOptionId_idx" ON "Response"("learnerId", "questionId", "attempt", "score", "createdAt", "selectedOptionId");
