// `npm run instructor:password -- --email ada@example.org`: sets a new password for an instructor
// who forgot theirs (issue 19). Run by whoever runs the server; there is no email-based reset
// because the app sends no email. The new password is read without echo (or from the first line
// of standard input), checked like any other (12+ characters, not a common password), and every
// browser signed in to that account is signed out.
import { parseArgs } from 'node:util';

import { resetPassword } from '@/lib/server/auth/accounts';
import { getDb } from '@/lib/server/db/client';
import { HttpError } from '@/lib/server/http';

import { readPassword } from './read-password';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' } } });
  if (!values.email) {
    console.error('Usage: npm run instructor:password -- --email <address>   (the new password is asked for)');
    return 2;
  }
  const password = await readPassword('New password (12+ characters, not shown): ');
  try {
    const result = await resetPassword(await getDb(), values.email, password);
    console.log(
      `✔ New password set for ${result.name} <${values.email.trim().toLowerCase()}>; ${result.sessionsEnded} signed-in browser(s) signed out.`,
    );
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
