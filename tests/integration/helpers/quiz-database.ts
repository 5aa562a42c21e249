// A fresh migrated database (see test-database.ts) with the course's lessons and questions
// loaded, as the server does at startup.
import { LESSON_SLUGS } from '@/lib/content/catalog';
import { syncRows } from '@/lib/server/content-sync';

import { createTestDatabase, type TestDatabase } from './test-database';

// Every test file seals cookies with a fixed secret (tests/integration/session.test.ts covers
// the generated-secret path).
process.env.SESSION_SECRET ??= 'integration-tests-secret-0123456789abcdef';

export async function createQuizDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await syncRows(
    database.db,
    LESSON_SLUGS.map((slug, index) => ({ slug, title: slug, order: index + 1 })),
  );
  return database;
}
