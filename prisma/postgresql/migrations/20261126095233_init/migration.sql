-- CreateTable
CREATE TABLE "Lesson" (
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "order" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lesson_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "Question" (
    "id" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "skill" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Question_lessonSlug_position_idx" ON "Question"("lessonSlug", "position");

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_lessonSlug_fkey" FOREIGN KEY ("lessonSlug") REFERENCES "Lesson"("slug") ON DELETE CASCADE ON UPDATE CASCADE;
