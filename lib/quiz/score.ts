/**
 * A learner's knowledge-check score, from graded attempts only: practice on new numbers
 * (PracticeResponse) never counts. The latest graded attempt at each question, averaged over all
 * of the lesson's questions (an unanswered question counts 0); null before the first answer.
 * The class overview's quiz score (lib/server/instructor/overview.ts, quizScoreOf) uses the same
 * rule; grade passback (LTI) should call this, or learnerKnowledgeCheckScore on the server.
 */
export function knowledgeCheckScore(
  questionIds: readonly string[],
  gradedAttempts: readonly { questionId: string; attempt: number; score: number }[],
): number | null {
  const asked = new Set(questionIds);
  const latest = new Map<string, { attempt: number; score: number }>();
  for (const attempt of gradedAttempts) {
    if (!asked.has(attempt.questionId)) continue;
    const seen = latest.get(attempt.questionId);
    if (!seen || attempt.attempt > seen.attempt) latest.set(attempt.questionId, attempt);
  }
  if (latest.size === 0 || asked.size === 0) return null;
  let sum = 0;
  for (const { score } of latest.values()) sum += score;
  return sum / asked.size;
}
