import { z } from 'zod';

/** What every lesson's MDX frontmatter must declare. Unknown keys are rejected so typos surface. */
export const lessonFrontmatterSchema = z
  .object({
    title: z.string().min(3).max(120),
    summary: z.string().min(10).max(400),
    order: z.number().int().min(1),
    minutes: z.number().int().min(1).max(240),
    objectives: z.array(z.string().min(3)).min(1).max(10),
  })
  .strict();

export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;

/**
 * Validates a lesson's frontmatter and names the file and the offending field in the error,
 * so a bad edit fails `next build` with a message an author can act on.
 */
export function parseLessonFrontmatter(data: unknown, file: string): LessonFrontmatter {
  const result = lessonFrontmatterSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(frontmatter)'}: ${issue.message}`)
    .join('\n');
  throw new Error(`Invalid frontmatter in ${file}:\n${problems}`);
}
