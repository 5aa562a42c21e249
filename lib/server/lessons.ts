import 'server-only';

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComponentType } from 'react';
import { parse as parseYaml } from 'yaml';

import { LESSON_SLUGS, type LessonSlug } from '@/lib/content/catalog';
import { parseLessonFrontmatter, type LessonFrontmatter } from '@/lib/content/frontmatter';
import { extractToc, type TocEntry } from '@/lib/content/headings';

export interface LessonSummary {
  slug: LessonSlug;
  frontmatter: LessonFrontmatter;
}

export interface LoadedLesson extends LessonSummary {
  toc: TocEntry[];
  Content: ComponentType;
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

async function readLessonSource(slug: LessonSlug): Promise<{ file: string; source: string }> {
  const file = path.join('content', 'lessons', slug, 'lesson.mdx');
  return { file, source: await readFile(path.join(process.cwd(), file), 'utf8') };
}

function frontmatterOf(source: string, file: string): LessonFrontmatter {
  const block = FRONTMATTER.exec(source);
  return parseLessonFrontmatter(block ? parseYaml(block[1] ?? '') : undefined, file);
}

/**
 * A lesson's title, summary and order, read from its source file rather than from the compiled
 * MDX module: importing the module would pull every widget the lesson embeds into the bundle of
 * whichever page asks (the course index only needs the metadata).
 */
export async function readLessonSummary(slug: LessonSlug): Promise<LessonSummary> {
  const { file, source } = await readLessonSource(slug);
  return { slug, frontmatter: frontmatterOf(source, file) };
}

/** Loads a compiled lesson. Pages are prerendered, so a bad frontmatter fails `next build`. */
export async function loadLesson(slug: LessonSlug): Promise<LoadedLesson> {
  // The template literal keeps the import statically analysable for the bundler.
  const mod = (await import(`@/content/lessons/${slug}/lesson.mdx`)) as { default: ComponentType };
  const { file, source } = await readLessonSource(slug);
  return { slug, frontmatter: frontmatterOf(source, file), toc: extractToc(source), Content: mod.default };
}

export async function listLessons(): Promise<LessonSummary[]> {
  const lessons = await Promise.all(LESSON_SLUGS.map((slug) => readLessonSummary(slug)));
  return lessons.sort((a, b) => a.frontmatter.order - b.frontmatter.order);
}
