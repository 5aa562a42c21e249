-- DropIndex
DROP INDEX "Response_learnerId_questionId_attempt_score_createdAt_idx";

-- CreateTable
CREATE TABLE "QuestionReportCache" (
    "cohortId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL,

    CONSTRAINT "QuestionReportCache_pkey" PRIMARY KEY ("cohortId","lessonSlug")
);

-- CreateIndex
CREATE INDEX "Response_learnerId_questionId_attempt_score_createdAt_selec_idx" ON "Response"("learnerId", "questionId", "attempt", "score", "createdAt", "selectedOptionId");

-- AddForeignKey
ALTER TABLE "QuestionReportCache" ADD CONSTRAINT "QuestionReportCache_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;
