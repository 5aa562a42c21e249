import { describe, expect, it } from 'vitest';

import { graphPractice, knowledgeCheck } from '@/content/lessons/chain-rule-computational-graphs/questions';

import { evidenceText, lessonMastery, masteryBySkill, skillEvidence, type EvidenceAttempt } from './mastery';

const questions = [...knowledgeCheck, ...graphPractice];

function answer(questionId: string, at: number, score: number, mode: EvidenceAttempt['mode'] = 'graded') {
  return { questionId, at, mode, grading: { parts: [{ id: 'value', score }] } };
}

function choice(questionId: string, at: number, right: boolean): EvidenceAttempt {
  return { questionId, at, mode: 'graded', grading: { parts: [{ id: 'choice', score: right ? 1 : 0 }] } };
}

describe('lesson mastery (3 right in a row)', () => {
  it('starts every skill the lesson trains at "not started"', () => {
    const initial = lessonMastery(questions, []);
    expect(initial.every((skill) => skill.level === 'not started' && skill.value === null)).toBe(true);
    expect(initial.map((skill) => skill.skill)).toEqual([
      'local-derivative',
      'chain-product',
      'sum-over-paths',
      'gradient-step',
      'concepts',
    ]);
    expect(initial[0]?.evidence).toBe('No answers yet on local derivatives');
  });

  it('a failed first question then a right retry is practising, not 100% mastered (issue 16)', () => {
    const mastery = lessonMastery(questions, [choice('graph-purpose', 1, false), choice('graph-purpose', 2, true)]);
    const concepts = mastery.find((skill) => skill.skill === 'concepts');
    expect(concepts).toMatchObject({ level: 'practising', correct: 1, attempts: 2, streak: 1 });
    expect(concepts?.progress).toBeLessThan(1);
    expect(concepts?.evidence).toBe('1 of 2 correct on concepts');
  });

  it('one right answer is practising with a third of the bar', () => {
    const mastery = lessonMastery(questions, [answer('reused-node', 1, 1)]);
    const paths = mastery.find((skill) => skill.skill === 'sum-over-paths');
    expect(paths).toMatchObject({ level: 'practising', value: 1, attempts: 1, correct: 1 });
    expect(paths?.progress).toBeCloseTo(1 / 3, 12);
  });

  it('practice on fresh numbers counts as evidence: graded right + 2 practice right is mastered', () => {
    const mastery = lessonMastery(questions, [
      answer('reused-node', 1, 1),
      answer('reused-node', 2, 1, 'practice'),
      answer('reused-node', 3, 1, 'practice'),
    ]);
    expect(mastery.find((skill) => skill.skill === 'sum-over-paths')).toMatchObject({
      level: 'mastered',
      progress: 1,
      evidence: '3 of 3 correct on sums over paths',
    });
  });

  it('credits each part of a multi-part answer to its own skill', () => {
    const grading = {
      parts: [
        { id: 'dLda', score: 1 },
        { id: 'dadz', score: 0 },
        { id: 'dzdw', score: 1 },
      ],
    };
    const evidence = skillEvidence(questions, [{ questionId: 'chain-factors', grading, at: 1, mode: 'graded' }]);
    // dLda and dadz are local derivatives (one right, one wrong: mean 0.5); dzdw is the chain product.
    expect(evidence).toEqual([
      { skill: 'local-derivative', score: 0.5, at: 1 },
      { skill: 'chain-product', score: 1, at: 1 },
    ]);
    const mastery = masteryBySkill(questions, [{ questionId: 'chain-factors', grading, at: 1, mode: 'graded' }]);
    expect(mastery['local-derivative']).toMatchObject({ correct: 0, attempts: 1 });
    expect(mastery['chain-product']).toMatchObject({ correct: 1, attempts: 1 });
  });

  it('ignores attempts at questions it does not know', () => {
    expect(skillEvidence(questions, [answer('no-such-question', 1, 1)])).toEqual([]);
  });

  it('words the evidence for people', () => {
    expect(evidenceText('local-derivative', { attempts: 3, correct: 2 })).toBe('2 of 3 correct on local derivatives');
  });
});
