import 'server-only';

import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { serverEnv } from '@/lib/env';

/** File name of the generated secret, beside the SQLite database. */
export const SECRET_FILE_NAME = 'session-secret';

let cached: string | undefined;

/**
 * The password iron-session seals cookies with. SESSION_SECRET when set (required with
 * PostgreSQL, where several instances must agree). Otherwise, for a zero-setup `npm start` on
 * one machine, a 256-bit secret generated once and kept (mode 0600) in the database's folder,
 * so sessions survive restarts and every process on the machine reads the same one.
 */
export function sessionSecret(): string {
  if (cached) return cached;
  const { SESSION_SECRET, DATABASE_URL } = serverEnv();
  cached = SESSION_SECRET ?? fileSecret(path.dirname(path.resolve(DATABASE_URL.replace(/^file:/, ''))));
  return cached;
}

/** Reads the secret in `folder`, creating it first if there is none. Safe when processes race. */
export function fileSecret(folder: string): string {
  const file = path.join(folder, SECRET_FILE_NAME);
  try {
    return readSecret(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(folder, { recursive: true });
  // Written in full to a private temporary name, then hard-linked into place: link() never
  // overwrites, so two processes racing end up sharing whichever secret landed first, and no
  // reader ever sees a half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readSecret(file);
}

function readSecret(file: string): string {
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32)
    throw new Error(`${file} holds a session secret shorter than 32 characters: delete it to generate a new one.`);
  return secret;
}
