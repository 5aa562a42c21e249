import { isIP } from 'node:net';

import { z } from 'zod';

/** `10.0.0.1`, `::1`, `10.0.0.0/8` or `fd00::/8`. */
function isIpOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Every setting the server reads, parsed once at startup. A bad value stops the server with
 * a message that names the variable, instead of failing later in some request.
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
      .default('file:./data/autodidact.db'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /**
     * `0` runs the answer path's database statements on the event loop instead of on the answer
     * worker thread (docs/decisions/011): for diagnosis and A/B measurements.
     */
    AUTODIDACT_ANSWER_WORKER: z.enum(['0', '1'], { message: 'must be 0 or 1' }).default('1'),
    /**
     * Seals the session cookie (iron-session). Optional with SQLite: the server then generates
     * one and keeps it in the database folder (see lib/server/secret.ts).
     */
    SESSION_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters; generate one with `openssl rand -base64 32`')
      .optional(),
    /**
     * The address instructors reach the app at (e.g. https://autodidact.example.org). Used in the
     * setup link printed at start and as the base of xAPI activity ids; defaults to
     * http://localhost:PORT.
     */
    AUTODIDACT_BASE_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://autodidact.example.org' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    /** Log threshold for the JSON logs on stdout (lib/server/log.ts). */
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .optional(),
    /** Turns on GET /api/metrics (Prometheus); the scraper sends it as a Bearer token. */
    AUTODIDACT_METRICS_TOKEN: z
      .string()
      .min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 16`')
      .optional(),
    /**
     * Reverse proxies whose X-Forwarded-For is believed: comma-separated IPs or CIDR ranges
     * (e.g. `127.0.0.1,10.0.0.0/8`). Unset: the header is ignored and the client is the TCP peer
     * (docs/decisions/019).
     */
    AUTODIDACT_TRUSTED_PROXIES: z
      .string()
      .trim()
      .refine(
        (list) => list.split(',').every((entry) => isIpOrCidr(entry.trim())),
        'must be a comma-separated list of IP addresses or CIDR ranges such as 10.0.0.0/8',
      )
      .optional(),
    /**
     * Learner endpoint rate limits (lib/server/rate-limit.ts): `on` (default), `off` (load tests
     * from one address), or a number that multiplies every limit (e.g. `10`).
     */
    AUTODIDACT_RATE_LIMIT: z
      .string()
      .trim()
      .regex(/^(on|off|\d+(\.\d+)?)$/, 'must be on, off, or a positive number that multiplies every limit (e.g. 10)')
      .refine((value) => !/^[\d.]+$/.test(value) || Number(value) > 0, 'must be a number above 0')
      .default('on'),
    /** Days after their last activity that anonymous learners' data is purged (docs/privacy.md); 0 keeps it forever. */
    AUTODIDACT_RETENTION_DAYS: z.coerce
      .number({ message: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(0, 'must be 0 (keep forever) or more')
      .max(36500, 'must be at most 36500')
      .default(365),
  })
  .superRefine((env, context) => {
    if (!env.SESSION_SECRET && !env.DATABASE_URL.startsWith('file:')) {
      context.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message:
          'is required with PostgreSQL: every app instance must seal session cookies with the same secret (generate one with `openssl rand -base64 32`)',
      });
    }
  });

export type ServerEnv = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): ServerEnv {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
}

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
