import 'server-only';

import { randomUUID } from 'node:crypto';

import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

import type { Db } from '../db/client';

/**
 * The tool's RSA signing keys (decision 017). Private keys live only in the database (LtiKey),
 * made on first use, never in the repository. The newest unretired key signs; `rotate` makes a
 * new one and keeps the old one published in /lti/jwks until every token it signed has expired
 * (client assertions live 5 minutes, deep linking responses 10: an hour is ample).
 */

export const ROTATION_OVERLAP_MS = 60 * 60 * 1000;

export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

async function createKey(db: Db): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  await db.ltiKey.create({
    data: { kid, privateJwk: JSON.stringify(privateJwk), publicJwk: JSON.stringify(publicJwk) },
    select: { kid: true },
  });
  return kid;
}

const imported = new Map<string, CryptoKey>();

/** The key that signs now; creates the first one when there is none. */
export async function signingKey(db: Db): Promise<SigningKey> {
  let row = await db.ltiKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
  if (!row) {
    await createKey(db);
    row = await db.ltiKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
  }
  if (!row) throw new Error('no LTI signing key after creating one');
  let key = imported.get(row.kid);
  if (!key) {
    key = (await importJWK(JSON.parse(row.privateJwk) as JWK, 'RS256')) as CryptoKey;
    imported.set(row.kid, key);
  }
  return { kid: row.kid, key };
}

/** Makes sure a key exists (server start). */
export async function ensureSigningKey(db: Db): Promise<void> {
  await signingKey(db);
}

/** The public keys to publish: the signing key and retired keys still inside their overlap. */
export async function publicJwks(db: Db, now = new Date()): Promise<{ keys: JWK[] }> {
  await signingKey(db);
  const rows = await db.ltiKey.findMany({
    where: { OR: [{ retiredAt: null }, { publishUntil: { gt: now } }] },
    orderBy: { createdAt: 'desc' },
    select: { publicJwk: true },
  });
  return { keys: rows.map((row) => JSON.parse(row.publicJwk) as JWK) };
}

/** A new signing key; the previous ones stay published for ROTATION_OVERLAP_MS. */
export async function rotateSigningKey(db: Db, now = new Date()): Promise<{ kid: string; retired: string[] }> {
  const old = await db.ltiKey.findMany({ where: { retiredAt: null }, select: { kid: true } });
  const kid = await createKey(db);
  await db.ltiKey.updateMany({
    where: { kid: { in: old.map((row) => row.kid) } },
    data: { retiredAt: now, publishUntil: new Date(now.getTime() + ROTATION_OVERLAP_MS) },
  });
  // Keys no longer published are of no use to anyone: drop them.
  await db.ltiKey.deleteMany({ where: { retiredAt: { not: null }, publishUntil: { lte: now } } });
  return { kid, retired: old.map((row) => row.kid) };
}
