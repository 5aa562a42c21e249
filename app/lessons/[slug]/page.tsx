import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

import { earlyStateScriptUrl } from '@/app/_components/progress/early-state';
import { FragmentSettle } from '@/app/_components/lesson/FragmentSettle';
import { KatexFontPreload } from '@/app/_components/lesson/KatexFontPreload';
import { LessonSections } from '@/app/_components/lesson/LessonSections';
import { COURSE } from '@/app/_components/lesson/course';
import { ScrollableRegions } from '@/app/_components/lesson/ScrollableRegions';
import { YourData } from '@/app/_components/privacy/YourData';
import { TableOfContents } from '@/app/_components/TableOfContents';
import { LESSON_SLUGS, isLessonSlug } from '@/lib/content/catalog';
import { loadLesson, readLessonSummary } from '@/lib/server/lessons';
import { interactiveLessonComponents } from '@/mdx-components';

export const dynamicParams = false;

export function generateStaticParams() {
  return LESSON_SLUGS.map((slug) => ({ slug }));
}

interface LessonPageProps {
  params: Promise<{ slug: string }>;
}

export async function generateMetadata({ params }: LessonPageProps): Promise<Metadata> {
  const { slug } = await params;
  if (!isLessonSlug(slug)) return {};
  const { frontmatter } = await readLessonSummary(slug);
  return { title: frontmatter.title, description: frontmatter.summary };
}

export default async function LessonPage({ params }: LessonPageProps) {
  const { slug } = await params;
  if (!isLessonSlug(slug)) notFound();
  const { frontmatter, toc, Content } = await loadLesson(slug);
  return (
    <div className="lesson-layout">
      {/* Starts the learner's state request while the page is still being parsed (issue 16,
          item 1; early-state.ts). React puts an async script in the head. */}
      <script async src={earlyStateScriptUrl(slug)} />
      <KatexFontPreload />
      <FragmentSettle />
      <ScrollableRegions />
      <TableOfContents entries={toc} />
      <article className="lesson prose" aria-labelledby="lesson-title">
        <header className="lesson-header">
          {/* The course context: which course, which lesson of it (issue 16, item 17). */}
          <p className="eyebrow">
            <Link href="/#lessons">{COURSE.title}</Link>, lesson {frontmatter.order}
          </p>
          <h1 id="lesson-title">{frontmatter.title}</h1>
          <p className="lede">{frontmatter.summary}</p>
          <p className="meta">About {frontmatter.minutes} minutes</p>
        </header>
        <LessonSections content={Content} interactive={interactiveLessonComponents} />
        {/* Download or delete what the server stores about this learner (issue 19, docs/privacy.md). */}
        <YourData />
      </article>
    </div>
  );
}
