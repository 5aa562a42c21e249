import 'server-only';

import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { isLessonSlug } from '@/lib/content/catalog';
import { extractToc } from '@/lib/content/headings';
import { widgetTitleOf } from '@/lib/widgets/catalog';

import { HttpError } from '../http';

/**
 * Progress events may only name the lesson's own sections and known widget kinds (issue 19: a
 * `section-viewed` with a made-up target became the resume point and an xAPI activity id).
 * Section ids come from the lesson's MDX headings ({/*id*\/}), the same source the page's ids
 * come from; read once per lesson.
 */

const sectionIdsBySlug = new Map<string, Promise<ReadonlySet<string>>>();

export function lessonSectionIds(slug: string): Promise<ReadonlySet<string>> {
  let ids = sectionIdsBySlug.get(slug);
  if (!ids) {
    ids = isLessonSlug(slug)
      ? readFile(path.join(process.cwd(), 'content', 'lessons', slug, 'lesson.mdx'), 'utf8').then(
          (source) => new Set(extractToc(source).map((entry) => entry.id)),
        )
      : Promise.resolve(new Set<string>());
    // A failed read is not cached: the next batch tries again.
    ids.catch(() => sectionIdsBySlug.delete(slug));
    sectionIdsBySlug.set(slug, ids);
  }
  return ids;
}

interface TargetedEvent {
  type: string;
  lessonSlug: string;
  target: string;
}

/** Throws a 400 naming the first event whose target the lesson does not have. */
export async function assertKnownTargets(events: readonly TargetedEvent[]): Promise<void> {
  for (const [index, event] of events.entries()) {
    if (event.type === 'section-viewed') {
      if (!(await lessonSectionIds(event.lessonSlug)).has(event.target)) {
        throw new HttpError(
          400,
          'unknown-section',
          `events.${index}.target: "${event.target}" is not a section of this lesson.`,
        );
      }
    } else if (event.type === 'widget-used' && widgetTitleOf(event.target) === null) {
      throw new HttpError(
        400,
        'unknown-widget',
        `events.${index}.target: "${event.target}" is not a widget of this lesson.`,
      );
    }
  }
}
