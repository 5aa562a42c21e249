import { describe, expect, it } from 'vitest';

import { backoffMs, isRetryable, nextLink, retryAfterMs, scoreBody } from './services';

describe('scoreBody', () => {
  it('reports points over the question count, the progress, and an ISO timestamp', () => {
    const at = new Date('2026-12-07T10:00:00.000Z');
    expect(scoreBody('u1', 0, 0, 9, at)).toEqual({
      userId: 'u1',
      scoreGiven: 0,
      scoreMaximum: 9,
      activityProgress: 'Started',
      gradingProgress: 'FullyGraded',
      timestamp: '2026-12-07T10:00:00.000Z',
    });
    expect(scoreBody('u1', 2.5, 4, 9, at).activityProgress).toBe('InProgress');
    expect(scoreBody('u1', 9, 9, 9, at).activityProgress).toBe('Completed');
    // 1/3 + 1/3 of a point, rounded for the gradebook.
    expect(scoreBody('u1', 2 / 3, 2, 9, at).scoreGiven).toBe(0.6667);
  });
});

describe('backoff', () => {
  it('doubles from the base up to the cap, within ±20 % jitter', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 10].map((attempt) => backoffMs(attempt, 1000, 10_000, middle))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(backoffMs(1, 1000, 10_000, () => 0)).toBe(800);
    expect(backoffMs(1, 1000, 10_000, () => 0.999_999)).toBe(1200);
  });

  it('retries network errors, 429 and 5xx only', () => {
    expect([null, 429, 500, 503, 400, 401, 404].map(isRetryable)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('reads Retry-After as seconds or a date', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Mon, 07 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
  });
});

describe('nextLink', () => {
  it('finds rel="next" among several links and resolves it', () => {
    const header = '<https://lms.example/m?p=1>; rel="prev", <https://lms.example/m?p=3>; rel="next"';
    expect(nextLink(header, 'https://lms.example/m?p=2')).toBe('https://lms.example/m?p=3');
    expect(nextLink('</m?p=2>; rel=next', 'https://lms.example/m')).toBe('https://lms.example/m?p=2');
    expect(nextLink('<https://lms.example/x>; rel="first next"', 'https://lms.example/')).toBe('https://lms.example/x');
    expect(nextLink('<https://lms.example/m?p=1>; rel="prev"', 'https://lms.example/')).toBeNull();
    expect(nextLink('<https://lms.example/m?p=1>; rel="nextish"', 'https://lms.example/')).toBeNull();
    expect(nextLink(null, 'https://lms.example/')).toBeNull();
  });
});
