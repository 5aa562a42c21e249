import 'server-only';

import { listLessons } from '@/lib/server/lessons';

import { getDb, type Db } from './db/client';
import { allQuizzes } from './quiz-content';

/**
 * Mirrors the course catalog (lessons and their questions) into the database, so reports can
 * join on them and responses can reference their question. Idempotent: runs at every server start.
 */
export async function syncCourseContent(db?: Db): Promise<{ lessons: number; questions: number }> {
  const client = db ?? (await getDb());
  const lessons = await listLessons();
  return syncRows(
    client,
    lessons.map(({ slug, frontmatter }) => ({ slug, title: frontmatter.title, order: frontmatter.order })),
  );
}

/** The database half of the sync, for callers (tests) that have the lesson rows without compiling MDX. */
export async function syncRows(
  db: Db,
  lessons: readonly { slug: string; title: string; order: number }[],
): Promise<{ lessons: number; questions: number }> {
  const questions = allQuizzes().flatMap((quiz) =>
    quiz.questions.map((question, position) => ({
      id: question.id,
      lessonSlug: quiz.slug,
      kind: question.kind,
      skill: question.skill,
      prompt: question.prompt,
      position,
      maxAttempts: question.policy.maxAttempts,
    })),
  );
  await db.$transaction([
    ...lessons.map(({ slug, title, order }) =>
      db.lesson.upsert({ where: { slug }, create: { slug, title, order }, update: { title, order } }),
    ),
    ...questions.map(({ id, ...fields }) =>
      db.question.upsert({ where: { id }, create: { id, ...fields }, update: fields }),
    ),
  ]);
  return { lessons: lessons.length, questions: questions.length };
}
