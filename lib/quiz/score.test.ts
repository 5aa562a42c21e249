import { describe, expect, it } from 'vitest';

import { knowledgeCheckScore } from './score';

describe('knowledge-check score', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('is null before the first answer', () => {
    expect(knowledgeCheckScore(ids, [])).toBeNull();
  });

  it('takes the latest graded attempt per question and counts unanswered questions as 0', () => {
    const score = knowledgeCheckScore(ids, [
      { questionId: 'a', attempt: 1, score: 0 },
      { questionId: 'a', attempt: 2, score: 1 },
      { questionId: 'b', attempt: 1, score: 0.5 },
      { questionId: 'elsewhere', attempt: 1, score: 1 },
    ]);
    // (1 + 0.5 + 0 + 0) / 4
    expect(score).toBe(0.375);
  });
});
