import type { Metadata } from 'next';

import { ClassNav } from '@/app/_components/instructor/ClassNav';
import { percent, when } from '@/app/_components/instructor/format';
import styles from '@/app/_components/instructor/instructor.module.css';
import type { TimelineEntry } from '@/lib/analytics/timeline';
import { LearnerControls } from '@/app/_components/instructor/LearnerControls';
import { requireOwnedCohort } from '@/lib/server/instructor/access';
import { learnerAttempts } from '@/lib/server/instructor/manage';
import { withInstructor } from '@/lib/server/instructor/next';
import { learnerTimeline } from '@/lib/server/instructor/timeline';

export const metadata: Metadata = { title: 'Learner timeline' };
export const dynamic = 'force-dynamic';

const KIND_LABEL: Record<TimelineEntry['kind'], string> = {
  'section-viewed': 'Read',
  'widget-used': 'Widget',
  prediction: 'Prediction',
  answer: 'Answer',
};

export default async function LearnerTimelinePage({
  params,
}: {
  params: Promise<{ cohortId: string; learnerId: string }>;
}) {
  const { cohortId, learnerId } = await params;
  const { attempts, role, ...data } = await withInstructor(
    async (db, headers) => ({
      ...(await learnerTimeline(db, headers, cohortId, learnerId)),
      attempts: await learnerAttempts(db, headers, cohortId, learnerId),
      role: (await requireOwnedCohort(db, headers, cohortId)).role,
    }),
    `/instructor/classes/${cohortId}/learners/${learnerId}`,
  );
  const answers = data.entries.filter((entry) => entry.kind === 'answer');
  return (
    <div className={styles.page}>
      <ClassNav cohort={data.cohort} current="learner" extra={data.learner.name} />
      <h1>{data.learner.name}</h1>
      <p className={styles.muted}>
        {data.entries.length} entries, {answers.length} answers, oldest first. Times are UTC.
        {data.truncated ? ' Only the most recent 1000 events and 1000 answers are shown.' : ''}
      </p>
      {data.entries.length === 0 ? (
        <p>Nothing recorded yet for this learner.</p>
      ) : (
        <ol className={styles.timeline}>
          {data.entries.map((entry) => {
            const correct =
              entry.kind === 'answer' ? entry.correct : entry.kind === 'prediction' ? entry.correct : null;
            return (
              <li
                key={`${entry.kind}-${entry.id}`}
                data-kind={entry.kind}
                data-correct={correct === null ? undefined : String(correct)}
              >
                <span className={styles.time}>
                  <time dateTime={new Date(entry.at).toISOString()}>{when(entry.at)}</time> · {KIND_LABEL[entry.kind]}
                  {entry.kind === 'answer' ? ` · ${correct ? 'right' : 'wrong'} (${percent(entry.score)})` : ''}
                </span>
                <div>{entry.summary}</div>
                {entry.kind === 'answer' && entry.feedback ? (
                  <p className={styles.feedback}>
                    <span className="visually-hidden">Feedback shown: </span>
                    {entry.feedback}
                  </p>
                ) : null}
                {entry.kind === 'answer' && entry.misconceptionTags.length > 0 ? (
                  <p className={styles.hint} style={{ margin: '0.2rem 0 0' }}>
                    Misconception: {entry.misconceptionTags.join(', ')}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      <LearnerControls
        cohortId={data.cohort.id}
        learnerId={data.learner.id}
        learnerName={data.learner.name}
        attempts={attempts}
        canChange={role !== 'ta'}
      />
    </div>
  );
}
