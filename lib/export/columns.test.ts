import { describe, expect, it } from 'vitest';

import { buildClassOverview } from '@/lib/analytics/class-overview';

import { classOverviewCsvColumns, responseCsvColumns } from './columns';
import { toCsvString } from './csv';

const day = 86_400_000;

describe('export column layouts', () => {
  it('class overview: one line per learner with mastery per skill', async () => {
    const rows = buildClassOverview(
      [
        {
          learnerId: 'u1',
          displayName: '=Eve',
          sectionsRead: 4,
          widgetsUsed: 2,
          quizScore: 0.5,
          attempts: [0, 1, 2].map((k) => ({ skill: 'chain-product' as const, score: 0, at: k * day })),
          lastActiveAt: 2 * day,
        },
      ],
      { now: 10 * day },
    );
    const csv = await toCsvString(rows, classOverviewCsvColumns(['chain-product']));
    expect(csv).toBe(
      'learner_id,name,sections_read,widgets_used,quiz_score,last_active,stuck,stuck_on,mastery_chain-product,mastery_chain-product_value\r\n' +
        "u1,'=Eve,4,2,0.5,1970-01-03T00:00:00.000Z,true,chain-product,practising,0\r\n",
    );
  });

  it('responses: guards free-text answers and joins misconception tags', async () => {
    const csv = await toCsvString(
      [
        {
          learnerId: 'u1',
          questionId: 'dl-dw',
          skill: 'chain-product',
          attemptNumber: 2,
          startedAt: null,
          submittedAt: day,
          score: 0,
          selectedOptionId: null,
          response: '-0.42',
          misconceptionTags: ['sign-error-dLda', 'missing-x'],
        },
      ],
      responseCsvColumns,
    );
    expect(csv.split('\r\n')[1]).toBe(
      "u1,dl-dw,chain-product,2,,1970-01-02T00:00:00.000Z,0,false,,'-0.42,sign-error-dLda; missing-x",
    );
  });
});
