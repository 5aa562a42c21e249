import type { Metadata } from 'next';
import Link from 'next/link';

import { ClassNav } from '@/app/_components/instructor/ClassNav';
import { ago, percent, when } from '@/app/_components/instructor/format';
import styles from '@/app/_components/instructor/instructor.module.css';
import { LmsSyncSection } from '@/app/_components/instructor/LmsSyncSection';
import { SKILLS } from '@/lib/analytics/skills';
import { withInstructor } from '@/lib/server/instructor/next';
import { classOverview, overviewQuerySchema, type OverviewQuery } from '@/lib/server/instructor/overview';

import { rotateJoinCodeAction } from './actions';

export const metadata: Metadata = { title: 'Class overview' };
export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;

/**
 * Only the overview's own parameters, as single strings, and only values the data layer accepts:
 * a hand-edited address (`?sort=__proto__`, `?page=1e999`, `?inactiveDays=NaN`) shows the
 * default for that parameter instead of an error page (issue 19). The data layer still refuses
 * bad values with a 400 for any other caller.
 */
function overviewParams(search: Search): Record<string, string> {
  const keys = ['sort', 'dir', 'q', 'stuck', 'inactiveDays', 'page'] as const;
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = search[key];
    if (typeof value === 'string' && value !== '' && overviewQuerySchema.shape[key].safeParse(value).success) {
      out[key] = value;
    }
  }
  return out;
}

function hrefWith(base: string, query: OverviewQuery, change: Partial<Record<keyof OverviewQuery, string | number>>) {
  const params = new URLSearchParams();
  const merged = {
    sort: query.sort,
    dir: query.dir,
    q: query.q,
    stuck: query.stuck ? '1' : '',
    inactiveDays: String(query.inactiveDays),
    page: String(query.page),
    ...Object.fromEntries(Object.entries(change).map(([k, v]) => [k, String(v)])),
  };
  for (const [key, value] of Object.entries(merged)) {
    if (
      value !== '' &&
      !(key === 'page' && value === '1') &&
      !(key === 'sort' && value === 'name') &&
      !(key === 'dir' && value === 'asc')
    )
      params.set(key, value);
  }
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

const COLUMNS: { key: OverviewQuery['sort'] | null; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Learner' },
  { key: 'sectionsRead', label: 'Sections read', numeric: true },
  { key: null, label: 'Widgets used', numeric: true },
  { key: 'score', label: 'Quiz score', numeric: true },
  { key: 'stuck', label: 'Stuck' },
  { key: 'lastActive', label: 'Last active' },
];

const LEVEL_TEXT = { 'not started': '—', practising: 'practising', mastered: 'mastered' } as const;

export default async function ClassOverviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ cohortId: string }>;
  searchParams: Promise<Search>;
}) {
  const { cohortId } = await params;
  const rawSearch = await searchParams;
  const search = overviewParams(rawSearch);
  const data = await withInstructor(
    (db, headers) => classOverview(db, headers, cohortId, search),
    `/instructor/classes/${cohortId}`,
  );
  const { cohort, query, rows, total, classSize, pageCount, now } = data;
  const base = `/instructor/classes/${cohort.id}`;
  const exportBase = `/api/instructor/classes/${cohort.id}`;
  return (
    <div className={styles.page}>
      <ClassNav cohort={cohort} current="overview" />
      <h1>{cohort.name}</h1>
      {rawSearch.removed === '1' || rawSearch.deleted === '1' ? (
        <p role="status" className={styles.notice}>
          {rawSearch.deleted === '1' ? "The learner's data was deleted." : 'The learner was removed from this class.'}
        </p>
      ) : null}
      <div className={styles.actions}>
        <span>
          Join code{' '}
          <span className={styles.code} data-testid="join-code">
            {cohort.joinCode}
          </span>
        </span>
        <form action={rotateJoinCodeAction}>
          <input type="hidden" name="cohortId" value={cohort.id} />
          <button type="submit" className={styles.secondary}>
            New join code
          </button>
        </form>
        <Link className={styles.linkButton} href={`${base}/questions`}>
          Question analysis
        </Link>
      </div>
      {/* Issue 18: the LMS this class came from (nothing for join-code classes). */}
      <LmsSyncSection cohortId={cohort.id} now={now} />
      <p className={styles.muted}>
        {classSize} learner{classSize === 1 ? '' : 's'} in this class. Downloads:{' '}
        <a href={`${exportBase}/gradebook.csv`} download>
          gradebook (CSV)
        </a>
        ,{' '}
        <a href={`${exportBase}/overview.csv`} download>
          overview (CSV)
        </a>
        ,{' '}
        <a href={`${exportBase}/responses.csv`} download>
          all responses (CSV)
        </a>
        ,{' '}
        <a href={`${exportBase}/xapi.json`} download>
          activity as xAPI statements (JSON)
        </a>
        .
      </p>

      <form method="get" className={styles.filters} aria-label="Filter learners">
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="dir" value={query.dir} />
        <div className={styles.field}>
          <label htmlFor="q">Name contains</label>
          <input id="q" name="q" className={styles.input} defaultValue={query.q} maxLength={80} />
        </div>
        <div className={styles.field}>
          <label htmlFor="inactiveDays">Inactive for at least (days)</label>
          <input
            id="inactiveDays"
            name="inactiveDays"
            type="number"
            min={1}
            max={365}
            className={styles.input}
            defaultValue={query.inactiveDays === '' ? '' : query.inactiveDays}
          />
        </div>
        <label className={styles.checkbox}>
          <input type="checkbox" name="stuck" value="1" defaultChecked={query.stuck} /> Only stuck learners
        </label>
        <button type="submit" className={styles.button}>
          Apply
        </button>
        <Link href={base} className={styles.linkButton}>
          Clear
        </Link>
      </form>

      <p role="status" className={styles.muted}>
        {total === classSize ? `${total} learners` : `${total} of ${classSize} learners match`}. A learner is{' '}
        <strong>stuck</strong> on a skill after 3 or more wrong answers in a row on it with no right answer for 3 days.
      </p>

      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <caption>
            Learners, sorted by {COLUMNS.find((c) => c.key === query.sort)?.label.toLowerCase() ?? query.sort} (
            {query.dir === 'asc' ? 'ascending' : 'descending'}), page {query.page} of {pageCount}
          </caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => {
                const active = column.key !== null && column.key === query.sort;
                return (
                  <th
                    key={column.label}
                    scope="col"
                    className={column.numeric ? styles.num : undefined}
                    aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {column.key ? (
                      <Link
                        href={hrefWith(base, query, {
                          sort: column.key,
                          dir: active && query.dir === 'asc' ? 'desc' : 'asc',
                          page: 1,
                        })}
                      >
                        {column.label}
                        {active ? (query.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                      </Link>
                    ) : (
                      column.label
                    )}
                  </th>
                );
              })}
              {SKILLS.map((skill) => (
                <th key={skill} scope="col">
                  Mastery: {skill}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={COLUMNS.length + SKILLS.length}>
                  {classSize === 0
                    ? `Nobody has joined yet. Learners join with the code ${cohort.joinCode}.`
                    : 'No learner matches these filters.'}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.learnerId} className={row.stuck ? styles.stuckRow : undefined}>
                  <th scope="row">
                    <Link href={`${base}/learners/${row.learnerId}`}>
                      <bdi>{row.displayName}</bdi>
                    </Link>
                  </th>
                  <td className={styles.num}>{row.sectionsRead}</td>
                  <td className={styles.num}>{row.widgetsUsed}</td>
                  <td className={styles.num}>{percent(row.quizScore)}</td>
                  <td>
                    {row.stuck ? (
                      <span
                        className={styles.badgeDanger}
                        title={row.stuckOn.map((s) => `${s.skill}: ${s.wrongInARow} wrong in a row`).join('; ')}
                      >
                        Stuck: {row.stuckOn.map((s) => s.skill).join(', ')}
                      </span>
                    ) : (
                      <span className={styles.muted}>no</span>
                    )}
                  </td>
                  <td>
                    <time
                      dateTime={row.lastActiveAt === null ? undefined : new Date(row.lastActiveAt).toISOString()}
                      title={when(row.lastActiveAt)}
                    >
                      {/* Roster members who never opened a lesson (issue 18) show as not started. */}
                      {row.lastActiveAt === null ? 'not started' : ago(row.lastActiveAt, now)}
                    </time>
                  </td>
                  {SKILLS.map((skill) => {
                    const mastery = row.mastery[skill];
                    return (
                      <td key={skill}>
                        {mastery.level === 'mastered' ? (
                          <span className={styles.badgeOk}>mastered</span>
                        ) : (
                          LEVEL_TEXT[mastery.level]
                        )}
                        {mastery.attempts > 0 ? (
                          // The evidence, as the learner's own panel words it (lib/quiz/mastery.ts).
                          <span className={styles.muted}>
                            {' '}
                            ({mastery.correct} of {mastery.attempts} right)
                          </span>
                        ) : null}
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {pageCount > 1 ? (
        <nav aria-label="Pages" className={styles.pager}>
          {query.page > 1 ? <Link href={hrefWith(base, query, { page: query.page - 1 })}>← Previous page</Link> : null}
          <span>
            Page {query.page} of {pageCount}
          </span>
          {query.page < pageCount ? (
            <Link href={hrefWith(base, query, { page: query.page + 1 })}>Next page →</Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
