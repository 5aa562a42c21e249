/**
 * The subset of the xAPI 1.0.3 Statement that Autodidact emits, as a zod schema written from
 * the specification (xAPI-Data.md, §2.4), not from our builder. Tests parse our output with it;
 * an export route may too before sending to an LRS. Strict objects, so a stray property (an
 * email, say) fails loudly.
 */
import { z } from 'zod';

/** Absolute IRI with a scheme; the spec's IRIs are RFC 3987, and ours are all http(s) URLs. */
const iri = z.url({ protocol: /^https?$/ });

/** RFC 5646 tag → string (§5.2 Language Maps). */
const languageMap = z.record(z.string().regex(/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/), z.string().min(1));

const activity = z
  .object({
    objectType: z.literal('Activity'),
    id: iri,
    definition: z
      .object({
        type: iri.optional(),
        name: languageMap.optional(),
        interactionType: z
          .enum([
            'true-false',
            'choice',
            'fill-in',
            'long-fill-in',
            'matching',
            'performance',
            'sequencing',
            'likert',
            'numeric',
            'other',
          ])
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const xapiStatementSchema = z
  .object({
    // §2.4.1: a UUID (any variant); ours are version 5.
    id: z.uuid(),
    // §2.4.2.1 Agent identified by an account (§2.4.2.3.2 Account: homePage IRL + name).
    actor: z
      .object({
        objectType: z.literal('Agent'),
        account: z.object({ homePage: iri, name: z.string().min(1) }).strict(),
      })
      .strict(),
    verb: z.object({ id: iri, display: languageMap }).strict(),
    object: activity,
    result: z
      .object({
        success: z.boolean().optional(),
        // §2.4.5.1: scaled is a decimal from −1 to 1 inclusive.
        score: z
          .object({ scaled: z.number().min(-1).max(1) })
          .strict()
          .optional(),
        response: z.string().optional(),
      })
      .strict()
      .optional(),
    context: z
      .object({
        platform: z.string().min(1),
        language: z.string().min(1),
        contextActivities: z
          .object({ parent: z.array(activity).optional() })
          .strict()
          .optional(),
      })
      .strict(),
    // §2.4.7: ISO 8601; we always write UTC with a Z.
    timestamp: z.iso.datetime({ offset: false }),
  })
  .strict();

export type XapiStatementShape = z.infer<typeof xapiStatementSchema>;
