import { describe, expect, it } from 'vitest';

import { parseEnv } from './env';

describe('parseEnv', () => {
  it('fills defaults for an empty environment (SQLite, answer worker on)', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe('file:./data/autodidact.db');
    expect(env.DATABASE_POOL_SIZE).toBe(10);
    expect(env.AUTODIDACT_ANSWER_WORKER).toBe('1');
  });

  it('names the variable and the rule when a value is wrong', () => {
    expect(() => parseEnv({ AUTODIDACT_ANSWER_WORKER: 'yes' })).toThrow(/AUTODIDACT_ANSWER_WORKER: must be 0 or 1/);
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must start with file:/);
    expect(() => parseEnv({ DATABASE_URL: 'postgresql://root@127.0.0.1/x' })).toThrow(/SESSION_SECRET: is required/);
  });
});
