import { describe, expect, it } from 'vitest';

import { buildTimeline, summarizeAnswer, type AnswerRow, type ProgressEventRow } from './timeline';

const events: ProgressEventRow[] = [
  {
    id: 'e3',
    kind: 'prediction',
    at: 3_000,
    widgetId: 'chain-of-influence',
    widgetTitle: 'Chain of influence',
    predicted: '0.5',
    actual: '0.25',
    correct: false,
    feedback: 'Multiply the local slopes.',
  },
  {
    id: 'e1',
    kind: 'section-viewed',
    at: new Date(1_000),
    sectionId: 'local-derivatives',
    sectionTitle: 'Local derivatives',
  },
  { id: 'e2', kind: 'widget-used', at: 2_000, widgetId: 'graph-explorer', action: 'dragged w' },
  { id: 'e4', kind: 'section-viewed', at: 5_000, sectionId: 'sum-over-paths' },
];

const answers: AnswerRow[] = [
  {
    id: 'a2',
    at: 6_000,
    questionId: 'q-chain',
    questionPrompt: 'dL/dw?',
    attemptNumber: 2,
    score: 1,
    response: '-0.42',
    feedback: 'Right.',
  },
  {
    id: 'a1',
    at: 4_000,
    questionId: 'q-chain',
    questionPrompt: 'dL/dw?',
    attemptNumber: 1,
    score: 0,
    response: '0.42',
    feedback: 'Check the sign of dL/da.',
    misconceptionTags: ['sign-error-dLda'],
  },
  // Same instant as the section view e4: the reading is listed first.
  { id: 'a0', at: 5_000, questionId: 'q-multi', score: 0.5 },
];

describe('buildTimeline', () => {
  const timeline = buildTimeline(events, answers);

  it('merges both sources in time order, reading before answering at the same instant', () => {
    expect(timeline.map((entry) => entry.id)).toEqual(['e1', 'e2', 'e3', 'a1', 'e4', 'a0', 'a2']);
    expect(timeline.map((entry) => entry.at)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 5_000, 6_000]);
  });

  it('writes a sentence for each entry', () => {
    expect(timeline.map((entry) => entry.summary)).toEqual([
      'Read “Local derivatives”',
      'Used graph-explorer (dragged w)',
      'Predicted 0.5 in “Chain of influence”; it showed 0.25 (off)',
      'Answered “dL/dw?” with “0.42”: wrong',
      'Read “sum-over-paths”',
      'Answered “q-multi”: partly right (50%)',
      'Answered “dL/dw?” with “-0.42”: right on attempt 2',
    ]);
  });

  it('calls a committed sign right or wrong, and a committed value close enough or off', () => {
    const prediction = (id: string, predictionKind: 'sign' | 'value', correct: boolean): ProgressEventRow => ({
      id,
      kind: 'prediction',
      at: 1,
      widgetId: 'backward-steps:bs',
      widgetTitle: 'Backward pass',
      predictionKind,
      predicted: predictionKind === 'sign' ? 'dL/dw is negative' : 'dL/dw = -0.5',
      actual: '-0.4977',
      correct,
    });
    const summaries = buildTimeline(
      [
        prediction('s1', 'sign', true),
        prediction('s2', 'sign', false),
        prediction('v1', 'value', true),
        prediction('v2', 'value', false),
      ],
      [],
    ).map((entry) => entry.summary.replace(/^.*; it showed -0\.4977 /, ''));
    expect(summaries).toEqual(['(right)', '(wrong)', '(close enough)', '(off)']);
  });

  it('keeps the feedback the learner saw and the misconceptions hit', () => {
    const first = timeline.find((entry) => entry.id === 'a1');
    expect(first).toMatchObject({
      kind: 'answer',
      correct: false,
      feedback: 'Check the sign of dL/da.',
      misconceptionTags: ['sign-error-dLda'],
    });
    expect(timeline.find((entry) => entry.id === 'e3')).toMatchObject({
      kind: 'prediction',
      feedback: 'Multiply the local slopes.',
      correct: false,
    });
  });

  it('is empty for a learner with no activity', () => {
    expect(buildTimeline([], [])).toEqual([]);
  });
});

describe('summarizeAnswer', () => {
  it('rounds partial credit to a whole percent', () => {
    expect(summarizeAnswer({ id: 'x', at: 0, questionId: 'q', score: 2 / 3 })).toBe('Answered “q”: partly right (67%)');
  });
});
