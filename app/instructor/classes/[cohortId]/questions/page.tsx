import type { Metadata } from 'next';

import { ClassNav } from '@/app/_components/instructor/ClassNav';
import { duration, fixed, percent, statistic } from '@/app/_components/instructor/format';
import styles from '@/app/_components/instructor/instructor.module.css';
import { BarsChart } from '@/app/_components/instructor/OptionChart';
import { renderInlineMath } from '@/lib/server/math';
import type { ItemFlag } from '@/lib/analytics/item-statistics';
import { questionAnalysis, type QuestionReport } from '@/lib/server/instructor/analysis';
import { withInstructor } from '@/lib/server/instructor/next';

export const metadata: Metadata = { title: 'Question analysis' };
export const dynamic = 'force-dynamic';

const FLAG_TEXT: Record<ItemFlag, string> = {
  'negative-discrimination':
    'Negative discrimination: learners who did well on the rest of the quiz did worse on this question. Check the key and the wording.',
  'low-discrimination':
    'Low discrimination (below 0.20): this question barely separates stronger from weaker learners. It may be too easy, too hard or ambiguous.',
};

function Stat({ label, value, reason }: { label: string; value: string; reason: string | null }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {value}
        {reason ? (
          <span className={styles.hint} style={{ display: 'block', fontWeight: 400 }}>
            {reason}
          </span>
        ) : null}
      </dd>
    </div>
  );
}

function QuestionCard({ report, number }: { report: QuestionReport; number: number }) {
  const { question, stats, options } = report;
  const facility = statistic(stats.facility, percent);
  const sd = statistic(stats.standardDeviation, (v) => fixed(v));
  const di = statistic(stats.discriminationIndex, (v) => fixed(v));
  const de = statistic(stats.discriminativeEfficiency, percent);
  const time = statistic(stats.medianMsToFirstCorrect, duration);
  const optionText = new Map(options.map((option) => [option.id, option]));
  const headingId = `q-${question.id}`;
  return (
    <section className={styles.question} aria-labelledby={headingId} data-question-id={question.id}>
      <h3 id={headingId}>
        Q{number}. {/* renderInlineMath escapes everything outside $…$ and typesets the rest with KaTeX. */}
        <span dangerouslySetInnerHTML={{ __html: renderInlineMath(question.prompt) }} />
      </h3>
      <p className={styles.muted}>
        {question.kind} · skill: {question.skill} · id <code>{question.id}</code>
      </p>
      {stats.flag ? (
        <p
          className={styles.badgeWarn}
          role="note"
          style={{ display: 'block', borderRadius: 6, padding: '0.5rem 0.75rem' }}
        >
          ⚑ {FLAG_TEXT[stats.flag]}
        </p>
      ) : null}
      <dl className={styles.statGrid}>
        <Stat label="Learners (first attempts)" value={String(stats.learners)} reason={null} />
        <Stat label="Attempts (all)" value={String(stats.attempts)} reason={null} />
        <Stat label="Facility (mean first-attempt score)" value={facility.text} reason={facility.reason} />
        <Stat label="Standard deviation" value={sd.text} reason={sd.reason} />
        <Stat label={`Discrimination index (n = ${stats.learners})`} value={di.text} reason={di.reason} />
        <Stat label="Discriminative efficiency" value={de.text} reason={de.reason} />
        <Stat label="Learners ever correct" value={String(stats.learnersEverCorrect)} reason={null} />
        <Stat label="Median time from first try to first correct" value={time.text} reason={time.reason} />
      </dl>
      {stats.optionCounts.length > 0 ? (
        <>
          <h4>Who chose what (first attempts)</h4>
          <BarsChart
            valueLabel="learners"
            bars={stats.optionCounts.map((entry) => ({
              label: optionText.get(entry.optionId)?.text.slice(0, 40) ?? entry.optionId,
              value: entry.learners,
              highlight: optionText.get(entry.optionId)?.correct ?? false,
            }))}
          />
          {/* Focusable: on a phone the table scrolls sideways and holds no link to reach it by. */}
          <div className={styles.tableWrap} tabIndex={0}>
            <table className={styles.table}>
              <caption>Options chosen on the first attempt at Q{number}</caption>
              <thead>
                <tr>
                  <th scope="col">Option</th>
                  <th scope="col" className={styles.num}>
                    Learners
                  </th>
                  <th scope="col" className={styles.num}>
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {stats.optionCounts.map((entry) => {
                  const option = optionText.get(entry.optionId);
                  return (
                    <tr key={entry.optionId}>
                      <th scope="row">
                        {option?.text ?? entry.optionId}
                        {option?.correct ? <span className={styles.badgeOk}> correct</span> : null}
                      </th>
                      <td className={styles.num}>{entry.learners}</td>
                      <td className={styles.num}>
                        {stats.learners > 0 ? percent(entry.learners / stats.learners) : '—'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {question.kind !== 'single-choice' ? (
        stats.topMisconceptions.length > 0 ? (
          <>
            <h4>Most common misconceptions (learners, any attempt)</h4>
            <ul>
              {stats.topMisconceptions.map((entry) => (
                <li key={entry.tag}>
                  <code>{entry.tag}</code>: {entry.learners} learner{entry.learners === 1 ? '' : 's'}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className={styles.muted}>No recognised misconception so far.</p>
        )
      ) : null}
    </section>
  );
}

export default async function QuestionAnalysisPage({ params }: { params: Promise<{ cohortId: string }> }) {
  const { cohortId } = await params;
  const data = await withInstructor(
    (db, headers) => questionAnalysis(db, headers, cohortId),
    `/instructor/classes/${cohortId}/questions`,
  );
  // Questions are numbered across lessons: the first number of each lesson.
  const firstNumber = data.lessons.map((_, index) =>
    data.lessons.slice(0, index).reduce((sum, lesson) => sum + lesson.questions.length, 0),
  );
  return (
    <div className={styles.page}>
      <ClassNav cohort={data.cohort} current="questions" />
      <h1>Question analysis</h1>
      <p className={styles.muted}>
        Moodle&apos;s quiz statistics on each learner&apos;s first attempt: facility is the mean score; the
        discrimination index is the correlation between a question and the rest of the quiz (below 0.20 is flagged).{' '}
        {data.respondents} learner{data.respondents === 1 ? '' : 's'} answered at least one question. With fewer than
        about 20 learners these numbers are noisy.{' '}
        <a href={`/instructor/classes/${data.cohort.id}/questions/variants`}>Which numbers make it hard</a>: facility
        per feature of each learner&apos;s numbers.
      </p>
      {data.lessons.map((lesson, lessonIndex) => {
        const number = firstNumber[lessonIndex] ?? 0;
        return (
          <section key={lesson.lessonSlug} aria-labelledby={`lesson-${lesson.lessonSlug}`}>
            <h2 id={`lesson-${lesson.lessonSlug}`}>{lesson.lessonTitle}</h2>
            <div className={styles.tableWrap}>
              <table className={styles.table}>
                <caption>Summary: one row per question</caption>
                <thead>
                  <tr>
                    <th scope="col">Question</th>
                    <th scope="col" className={styles.num}>
                      Learners
                    </th>
                    <th scope="col" className={styles.num}>
                      Attempts
                    </th>
                    <th scope="col" className={styles.num}>
                      Facility
                    </th>
                    <th scope="col" className={styles.num}>
                      Discrimination
                    </th>
                    <th scope="col">Flag</th>
                  </tr>
                </thead>
                <tbody>
                  {lesson.questions.map((report, index) => (
                    <tr key={report.question.id}>
                      <th scope="row">
                        <a href={`#q-${report.question.id}`}>Q{number + index + 1}</a> {report.question.id}
                      </th>
                      <td className={styles.num}>{report.stats.learners}</td>
                      <td className={styles.num}>{report.stats.attempts}</td>
                      <td className={styles.num}>{statistic(report.stats.facility, percent).text}</td>
                      <td className={styles.num}>
                        {statistic(report.stats.discriminationIndex, (v) => fixed(v)).text}
                      </td>
                      <td>
                        {report.stats.flag ? (
                          <span className={styles.badgeWarn}>
                            {report.stats.flag === 'negative-discrimination' ? 'negative' : 'low'}
                          </span>
                        ) : (
                          ''
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <BarsChart
              valueLabel="facility %"
              bars={lesson.questions.map((report, index) => ({
                label: `Q${number + index + 1}`,
                value: report.stats.facility.value === null ? 0 : Math.round(report.stats.facility.value * 100),
              }))}
            />
            {lesson.questions.map((report, index) => (
              <QuestionCard key={report.question.id} report={report} number={number + index + 1} />
            ))}
          </section>
        );
      })}
    </div>
  );
}
