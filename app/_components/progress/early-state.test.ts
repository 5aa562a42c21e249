import { runInNewContext } from 'node:vm';

import { describe, expect, it } from 'vitest';

import { EARLY_STATE_KEY, earlyStateScript, STATE_STARTED_KEY, type EarlyState } from './early-state';

/** Runs the inline script in a bare context with a recording fetch, as a browser would at parse time. */
function run(
  slug: string,
  fetchImpl: (url: string, init: unknown) => Promise<unknown>,
  window: Record<string, unknown> = {},
) {
  const calls: { url: string; init: unknown }[] = [];
  runInNewContext(earlyStateScript(slug), {
    window,
    encodeURIComponent,
    fetch: (url: string, init: unknown) => {
      calls.push({ url, init });
      return fetchImpl(url, init);
    },
  });
  return { early: window[EARLY_STATE_KEY] as EarlyState | undefined, calls };
}

describe('the early lesson-state script', () => {
  it('starts one same-origin, uncached request for the lesson and leaves it on window', async () => {
    const response = { ok: true };
    const { early, calls } = run('chain-rule-computational-graphs', () => Promise.resolve(response));
    expect(calls).toEqual([
      {
        url: '/api/lessons/chain-rule-computational-graphs/state',
        init: { cache: 'no-store', credentials: 'same-origin' },
      },
    ]);
    expect(early?.slug).toBe('chain-rule-computational-graphs');
    await expect(early?.response).resolves.toBe(response);
  });

  it('never throws, and a failed request is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { early } = run('chain-rule-computational-graphs', () => Promise.reject(new Error('offline')));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      await expect(early?.response).rejects.toThrow('offline');
      // Without fetch at all (a very old browser), the script does nothing rather than fail the page.
      expect(() => void runInNewContext(earlyStateScript('x'), { window: {}, encodeURIComponent })).not.toThrow();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('asks nothing when the page has already asked (the script arrived late) or ran before', () => {
    const late = run('chain-rule-computational-graphs', () => Promise.resolve({}), { [STATE_STARTED_KEY]: true });
    expect(late.calls).toEqual([]);
    expect(late.early).toBeUndefined();
    const window: Record<string, unknown> = {};
    run('chain-rule-computational-graphs', () => Promise.resolve({}), window);
    const twice = run('chain-rule-computational-graphs', () => Promise.resolve({}), window);
    expect(twice.calls).toEqual([]);
  });

  it('cannot end its script element, whatever the slug', () => {
    const script = earlyStateScript('</script><script>alert(1)</script>');
    expect(script).not.toContain('</script');
    const { calls, early } = run('</script>', () => Promise.resolve({}));
    expect(early?.slug).toBe('</script>');
    expect(calls[0]?.url).toBe('/api/lessons/%3C%2Fscript%3E/state');
  });
});
