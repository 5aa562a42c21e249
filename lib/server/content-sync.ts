import 'server-only';

import { knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';
import { listLessons } from '@/lib/server/lessons';

import { getDb } from './db/client';

/**
 * Mirrors the course catalog (lessons and their questions) into the database, so reports can
 * join on them. Idempotent: runs at every server start.
 */
export async function syncCourseContent(): Promise<{ lessons: number; questions: number }> {
  const db = await getDb();
  const lessons = await listLessons();
  await db.$transaction([
    ...lessons.map(({ slug, frontmatter }) =>
      db.lesson.upsert({
        where: { slug },
        create: { slug, title: frontmatter.title, order: frontmatter.order },
        update: { title: frontmatter.title, order: frontmatter.order },
      }),
    ),
    ...knowledgeCheck.map((question, position) =>
      db.question.upsert({
        where: { id: question.id },
        create: {
          id: question.id,
          lessonSlug: 'chain-rule-computational-graphs',
          kind: question.kind,
          skill: question.skill,
          prompt: question.prompt,
          position,
        },
        update: { kind: question.kind, skill: question.skill, prompt: question.prompt, position },
      }),
    ),
  ]);
  return { lessons: lessons.length, questions: knowledgeCheck.length };
}
