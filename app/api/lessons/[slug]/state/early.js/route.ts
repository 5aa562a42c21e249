import { earlyStateScript } from '@/app/_components/progress/early-state';
import { LESSON_SLUGS, isLessonSlug } from '@/lib/content/catalog';

/**
 * The lesson page's early script (app/_components/progress/early-state.ts): starts the learner's
 * state request from the page's head, before the page's own JavaScript (issue 16, item 1). Static,
 * one per lesson, built with the page; revalidated on each visit (`no-cache`), so a page and its
 * script always come from the same build.
 */
export const dynamic = 'force-static';
export const dynamicParams = false;

export function generateStaticParams() {
  return LESSON_SLUGS.map((slug) => ({ slug }));
}

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  if (!isLessonSlug(slug)) return new Response('No such lesson.', { status: 404 });
  return new Response(earlyStateScript(slug), {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' },
  });
}
