import { COURSE } from '@/app/_components/lesson/course';
import { listLessons } from '@/lib/server/lessons';

export default async function CourseIndexPage() {
  const lessons = await listLessons();
  return (
    <div className="page-narrow">
      <h1>Neural networks, one idea at a time</h1>
      <p className="lede">
        Short, interactive lessons. Read a little, drag a slider, watch the numbers move, then check yourself.
      </p>
      <h2 id="lessons">Course: {COURSE.title}</h2>
      <ol className="lesson-list" aria-labelledby="lessons">
        {lessons.map(({ slug, frontmatter }) => (
          <li key={slug} className="lesson-card">
            <p className="eyebrow">Lesson {frontmatter.order}</p>
            <h3>
              {/* A plain link, not next/link: a lesson's formulas are typeset on the server only,
                  so a lesson is always loaded as a whole page (app/_components/lesson/Formula.tsx). */}
              <a href={`/lessons/${slug}`}>{frontmatter.title}</a>
            </h3>
            <p>{frontmatter.summary}</p>
            <p className="meta">About {frontmatter.minutes} minutes</p>
          </li>
        ))}
        {COURSE.comingNext.map((planned, index) => (
          <li key={planned.title} className="lesson-card lesson-card-planned" data-planned-lesson="">
            <p className="eyebrow">Lesson {lessons.length + index + 1}: coming next, not yet available</p>
            <h3>{planned.title}</h3>
            <p>{planned.summary}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
