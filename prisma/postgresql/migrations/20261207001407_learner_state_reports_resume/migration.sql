-- AlterTable
ALTER TABLE "LessonProgress" ADD COLUMN     "widgetState" TEXT;

-- CreateTable
CREATE TABLE "ProblemReport" (
    "id" TEXT NOT NULL,
    "learnerId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "variant" INTEGER NOT NULL,
    "answer" TEXT,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProblemReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResumeCode" (
    "codeHash" TEXT NOT NULL,
    "learnerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResumeCode_pkey" PRIMARY KEY ("codeHash")
);

-- CreateTable
CREATE TABLE "ResumeThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "windowStartMs" BIGINT NOT NULL,

    CONSTRAINT "ResumeThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "ProblemReport_learnerId_createdAt_idx" ON "ProblemReport"("learnerId", "createdAt");

-- CreateIndex
CREATE INDEX "ProblemReport_questionId_createdAt_idx" ON "ProblemReport"("questionId", "createdAt");

-- CreateIndex
CREATE INDEX "ResumeCode_learnerId_idx" ON "ResumeCode"("learnerId");

-- CreateIndex
CREATE INDEX "ResumeCode_expiresAt_idx" ON "ResumeCode"("expiresAt");

-- AddForeignKey
ALTER TABLE "ProblemReport" ADD CONSTRAINT "ProblemReport_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProblemReport" ADD CONSTRAINT "ProblemReport_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResumeCode" ADD CONSTRAINT "ResumeCode_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;
