import 'server-only';

import { z } from 'zod';

import { formulaToTex, parseFormula, FORMULA_LIMITS } from '@/lib/quiz/formula';

import type { Db } from '../db/client';
import { assertSameOrigin, handle, json, parseOrThrow, readJson } from '../http';
import { renderInlineMath } from '../math';
import { practiceQuerySchema, practiceState, practiceSubmissionSchema, submitPractice } from '../quiz-practice';
import { requireSession } from '../session';
import { MAX_ANSWER_BYTES } from './handlers';

/**
 * Practice rounds and the formula preview (issue 16), as functions of (Request, database) like
 * handlers.ts; app/api/quiz/practice and app/api/quiz/formula-preview wrap them.
 *
 *   GET  /api/quiz/practice?questionId=…        the current practice round     200 | 400 401 409 422
 *   POST /api/quiz/practice                      grade one practice attempt     200 | 400 401 403 409 413 422
 *   GET  /api/quiz/formula-preview?expression=…  the typed formula, typeset     200 | 400 401
 */

function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams.entries());
}

export function getPracticeHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    const { questionId } = parseOrThrow(practiceQuerySchema, queryOf(request));
    const session = await requireSession(db, request);
    return json(await practiceState(db, session, questionId));
  });
}

export function postPracticeHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    assertSameOrigin(request);
    const submission = parseOrThrow(practiceSubmissionSchema, await readJson(request, MAX_ANSWER_BYTES));
    const session = await requireSession(db, request);
    const { outcome, replayed } = await submitPractice(db, session, submission);
    return json(outcome, { headers: replayed ? { 'Idempotent-Replayed': 'true' } : {} });
  });
}

const previewQuerySchema = z.object({ expression: z.string().max(FORMULA_LIMITS.maxSourceLength) }).strict();

export type FormulaPreview =
  { ok: true; html: string } | { ok: false; error: { message: string; line: number; column: number } };

/**
 * The typed formula typeset with KaTeX on the server, so the lesson ships no KaTeX JavaScript
 * (docs/decisions/004, 013). A formula that does not parse is a normal answer here (200 with the
 * language's error and its position): the learner is still typing.
 */
export function getFormulaPreviewHandler(request: Request, db: Db): Promise<Response> {
  return handle(async () => {
    const { expression } = parseOrThrow(previewQuerySchema, queryOf(request));
    await requireSession(db, request);
    const formula = parseFormula(expression);
    const body: FormulaPreview = formula.ok
      ? { ok: true, html: renderInlineMath(`$${formulaToTex(formula.parsed)}$`) }
      : { ok: false, error: formula.error };
    return json(body);
  });
}
