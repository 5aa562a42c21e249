// Runs once when a server process starts (Next's instrumentation hook): validate the
// environment first, so a bad setting stops the server with a clear message, then load the
// course content into the database.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { serverEnv } = await import('@/lib/env');
  serverEnv();
  // Prerendering during `next build` also loads this hook; there is no database to fill then.
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  // Beacons and answers straight from Node's request event, before Next's router (decision 018,
  // ninth session). Installed first, so it runs inside the request observer and the peer header.
  const { installLearnerFastPath } = await import('@/lib/server/api/fast-path');
  const { getDb } = await import('@/lib/server/db/client');
  installLearnerFastPath(getDb);
  // Request ids, JSON request logs and Prometheus counts for every request (docs/decisions/018).
  const { installRequestObserver } = await import('@/lib/server/metrics');
  installRequestObserver();
  // The TCP peer's address for rate limits and sign-in throttling (docs/decisions/019).
  const { installPeerAddressHeader } = await import('@/lib/server/api/client-address');
  installPeerAddressHeader();
  const { log } = await import('@/lib/server/log');
  // One server per SQLite file, migrated and no newer than this code; else exit with a plain line.
  const { claimSqliteDatabase } = await import('@/lib/server/db/claim');
  claimSqliteDatabase();
  const { syncCourseContent } = await import('@/lib/server/content-sync');
  const { lessons, questions } = await syncCourseContent();
  log.info({ lessons, questions }, 'course content loaded');
  // Issue 6: with no instructor yet, print a one-time setup link (docs/decisions/008).
  const { announceSetupToken } = await import('@/lib/server/auth/setup-announce');
  await announceSetupToken();
  // Issue 19: the daily purge of anonymous learners inactive for AUTODIDACT_RETENTION_DAYS (docs/privacy.md).
  const { startRetentionJob } = await import('@/lib/server/privacy/retention');
  startRetentionJob(getDb);
  // Issue 18: the LTI signing key (made on first start) and the grade passback worker (decision 017).
  const { startLti } = await import('@/lib/server/lti/startup');
  await startLti();
}
