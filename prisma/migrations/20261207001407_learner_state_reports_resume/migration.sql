-- AlterTable
ALTER TABLE "LessonProgress" ADD COLUMN "widgetState" TEXT;

-- CreateTable
CREATE TABLE "ProblemReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "learnerId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "variant" INTEGER NOT NULL,
    "answer" TEXT,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProblemReport_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProblemReport_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ResumeCode" (
    "codeHash" TEXT NOT NULL PRIMARY KEY,
    "learnerId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "ResumeCode_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ResumeThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "windowStartMs" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "ProblemReport_learnerId_createdAt_idx" ON "ProblemReport"("learnerId", "createdAt");

-- CreateIndex
CREATE INDEX "ProblemReport_questionId_createdAt_idx" ON "ProblemReport"("questionId", "createdAt");

-- CreateIndex
CREATE INDEX "ResumeCode_learnerId_idx" ON "ResumeCode"("learnerId");

-- CreateIndex
CREATE INDEX "ResumeCode_expiresAt_idx" ON "ResumeCode"("expiresAt");
