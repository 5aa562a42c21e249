/**
 * The lessons the app serves, in course order. A lesson's folder is
 * content/lessons/<slug>/ with lesson.mdx; a unit test checks that every folder is listed here.
 */
export const LESSON_SLUGS = ['chain-rule-computational-graphs'] as const;

export type LessonSlug = (typeof LESSON_SLUGS)[number];

export function isLessonSlug(value: string): value is LessonSlug {
  return (LESSON_SLUGS as readonly string[]).includes(value);
}
