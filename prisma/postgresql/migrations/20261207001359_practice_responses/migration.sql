-- CreateTable
CREATE TABLE "PracticeResponse" (
    "id" TEXT NOT NULL,
    "learnerId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "variant" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "grading" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PracticeResponse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PracticeResponse_questionId_idx" ON "PracticeResponse"("questionId");

-- CreateIndex
CREATE UNIQUE INDEX "PracticeResponse_learnerId_questionId_round_attempt_key" ON "PracticeResponse"("learnerId", "questionId", "round", "attempt");

-- AddForeignKey
ALTER TABLE "PracticeResponse" ADD CONSTRAINT "PracticeResponse_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeResponse" ADD CONSTRAINT "PracticeResponse_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;
