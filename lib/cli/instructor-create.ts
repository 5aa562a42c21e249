// `npm run instructor:create -- --email ada@example.org --name "Ada Lovelace"`: creates an
// instructor account from the command line (the alternative to the one-time setup page). The
// password is read without echo from the terminal, or as the first line of standard input when
// piped (`echo "$PASSWORD" | npm run instructor:create -- ...`), never from the command line,
// where it would land in shell history and the process list.
import { parseArgs } from 'node:util';

import { createInstructor } from '@/lib/server/auth/accounts';
import { removeSetupTokenFile } from '@/lib/server/auth/setup-announce';
import { getDb } from '@/lib/server/db/client';
import { HttpError } from '@/lib/server/http';

import { readPassword } from './read-password';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
  if (!values.email || !values.name) {
    console.error('Usage: npm run instructor:create -- --email <address> --name "<full name>"');
    return 2;
  }
  const password = await readPassword();
  try {
    const instructor = await createInstructor(await getDb(), { email: values.email, name: values.name, password });
    // Any setup link printed at server start is pointless now; its token file goes too.
    removeSetupTokenFile();
    console.log(`✔ Instructor ${instructor.email} created. Sign in at /instructor/login.`);
    return 0;
  } catch (error) {
    if (error instanceof HttpError) {
      console.error(`✖ ${error.issues?.join('\n  ') ?? error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exit(await main());
