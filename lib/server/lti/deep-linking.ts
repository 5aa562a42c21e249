import 'server-only';

import { randomBytes } from 'node:crypto';

import { jwtVerify, SignJWT, importJWK, type JWK } from 'jose';
import { z } from 'zod';

import { isLessonSlug, LESSON_SLUGS } from '@/lib/content/catalog';
import { CLAIM, type DeepLinkingLaunch } from '@/lib/lti/claims';

import type { Db } from '../db/client';
import { readLessonSummary } from '../lessons';
import { lessonQuiz } from '../quiz-content';
import { autoPostPage, escapeHtml, htmlPage, refusalPage } from './html';
import { signingKey } from './keys';
import { baseUrl, originsOf, toolUrls } from './platforms';

/**
 * Deep Linking 2.0: an instructor adds a lesson to their course. The picker lists the lessons;
 * choosing one posts a form back here with a short-lived ticket (a JWT this tool signed, holding
 * what the platform asked for), and the answer is the LtiDeepLinkingResponse, signed with the
 * tool's key and auto-posted to the platform's deep_link_return_url.
 */

const TICKET_SECONDS = 30 * 60;

const ticketSchema = z.object({
  platformId: z.string(),
  deploymentId: z.string(),
  returnUrl: z.string().url(),
  data: z.string().optional(),
  acceptLineItem: z.boolean(),
});

type Platform = { id: string; issuer: string; clientId: string; authUrl: string };

export async function deepLinkingPicker(db: Db, platform: Platform, claims: DeepLinkingLaunch): Promise<Response> {
  const settings = claims[CLAIM.deepLinkingSettings];
  if (!settings.accept_types.includes('ltiResourceLink')) {
    return refusalPage(
      400,
      'Nothing to add here',
      'This LMS asked for a kind of content other than an LTI activity, which is all this tool offers.',
      {
        frameAncestors: originsOf(platform),
      },
    );
  }
  const { kid, key } = await signingKey(db);
  const ticket = await new SignJWT({
    platformId: platform.id,
    deploymentId: claims[CLAIM.deploymentId],
    returnUrl: settings.deep_link_return_url,
    ...(settings.data !== undefined ? { data: settings.data } : {}),
    acceptLineItem: settings.accept_lineitem !== false,
  })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setAudience('autodidact-deep-linking')
    .setIssuedAt()
    .setExpirationTime(`${TICKET_SECONDS}s`)
    .sign(key);
  const lessons = await Promise.all(
    LESSON_SLUGS.map(async (slug) => ({ slug, ...(await readLessonSummary(slug)).frontmatter })),
  );
  const items = lessons
    .map(
      (lesson) =>
        `<li><form method="post" action="/lti/deep-link"><input type="hidden" name="ticket" value="${escapeHtml(ticket)}"><input type="hidden" name="lesson" value="${escapeHtml(lesson.slug)}"><button type="submit" aria-describedby="summary-${escapeHtml(lesson.slug)}">Add “${escapeHtml(lesson.title)}”</button><p id="summary-${escapeHtml(lesson.slug)}">${escapeHtml(lesson.summary)}</p></form></li>`,
    )
    .join('');
  return htmlPage('Choose a lesson', `<h1>Choose a lesson to add to your course</h1><ul>${items}</ul>`, {
    frameAncestors: originsOf(platform),
  });
}

const pickSchema = z.object({ ticket: z.string().min(1).max(8192), lesson: z.string().min(1).max(100) }).strict();

/** POST /lti/deep-link: the chosen lesson, as a signed LtiDeepLinkingResponse auto-posted to the platform. */
export async function handleDeepLinkChoice(db: Db, request: Request): Promise<Response> {
  const form = await request.formData().catch(() => null);
  const fields: Record<string, string> = {};
  if (form) for (const [name, value] of form) if (typeof value === 'string') fields[name] = value;
  const picked = pickSchema.safeParse(fields);
  if (!picked.success)
    return refusalPage(400, 'Nothing was chosen', 'This form needs a lesson and the ticket from the lesson list.');
  const { kid, key } = await signingKey(db);
  const keys = await db.ltiKey.findMany({ select: { kid: true, publicJwk: true } });
  let ticket: z.infer<typeof ticketSchema>;
  try {
    const { payload } = await jwtVerify(
      picked.data.ticket,
      async (header) => {
        const row = keys.find((candidate) => candidate.kid === header.kid);
        if (!row) throw new Error('unknown key');
        return importJWK(JSON.parse(row.publicJwk) as JWK, 'RS256');
      },
      { algorithms: ['RS256'], audience: 'autodidact-deep-linking' },
    );
    ticket = ticketSchema.parse(payload);
  } catch {
    return refusalPage(
      400,
      'This list has expired',
      'The lesson list is too old or was changed. Start adding the activity from the LMS again.',
    );
  }
  const platform = await db.ltiPlatform.findUnique({ where: { id: ticket.platformId } });
  if (!platform)
    return refusalPage(
      400,
      'This LMS is no longer registered',
      'The LMS this list was made for is not registered any more.',
    );
  if (!isLessonSlug(picked.data.lesson)) {
    return refusalPage(400, 'Unknown lesson', 'That lesson does not exist here.', {
      frameAncestors: originsOf(platform),
    });
  }
  const slug = picked.data.lesson;
  const { frontmatter } = await readLessonSummary(slug);
  // The gradebook column's maximum: one point per knowledge-check question (outbox.ts scores the same way).
  const questions = lessonQuiz(slug)?.questions.length ?? 0;
  const item: Record<string, unknown> = {
    type: 'ltiResourceLink',
    title: frontmatter.title,
    text: frontmatter.summary,
    url: toolUrls(baseUrl()).targetLink(slug),
    custom: { lesson: slug },
  };
  if (ticket.acceptLineItem) {
    item.lineItem = {
      scoreMaximum: Math.max(1, questions),
      label: `${frontmatter.title}: knowledge check`,
      resourceId: slug,
    };
  }
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({
    nonce: randomBytes(16).toString('base64url'),
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: '1.3.0',
    [CLAIM.deploymentId]: ticket.deploymentId,
    [CLAIM.contentItems]: [item],
    ...(ticket.data !== undefined ? { [CLAIM.data]: ticket.data } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(platform.clientId)
    .setAudience(platform.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(key);
  return autoPostPage(
    'Adding the lesson to your course',
    ticket.returnUrl,
    { JWT: jwt },
    {
      frameAncestors: originsOf(platform),
      formAction: [new URL(ticket.returnUrl).origin],
    },
  );
}
