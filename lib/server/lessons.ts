import 'server-only';

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComponentType } from 'react';

import { LESSON_SLUGS, type LessonSlug } from '@/lib/content/catalog';
import { parseLessonFrontmatter, type LessonFrontmatter } from '@/lib/content/frontmatter';
import { extractToc, type TocEntry } from '@/lib/content/headings';

export interface LoadedLesson {
  slug: LessonSlug;
  frontmatter: LessonFrontmatter;
  toc: TocEntry[];
  Content: ComponentType;
}

interface LessonModule {
  default: ComponentType;
  frontmatter?: unknown;
}

function lessonFile(slug: LessonSlug): string {
  return path.join(process.cwd(), 'content', 'lessons', slug, 'lesson.mdx');
}

/** Loads a compiled lesson. Pages are prerendered, so a bad frontmatter fails `next build`. */
export async function loadLesson(slug: LessonSlug): Promise<LoadedLesson> {
  // The template literal keeps the import statically analysable for the bundler.
  const mod = (await import(`@/content/lessons/${slug}/lesson.mdx`)) as LessonModule;
  const file = `content/lessons/${slug}/lesson.mdx`;
  const frontmatter = parseLessonFrontmatter(mod.frontmatter, file);
  const toc = extractToc(await readFile(lessonFile(slug), 'utf8'));
  return { slug, frontmatter, toc, Content: mod.default };
}

export async function listLessons(): Promise<Omit<LoadedLesson, 'Content' | 'toc'>[]> {
  const lessons = await Promise.all(LESSON_SLUGS.map((slug) => loadLesson(slug)));
  return lessons
    .map(({ slug, frontmatter }) => ({ slug, frontmatter }))
    .sort((a, b) => a.frontmatter.order - b.frontmatter.order);
}
