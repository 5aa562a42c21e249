import { describe, expect, it } from 'vitest';

import { extractToc } from './headings';

describe('extractToc', () => {
  it('reads ## and ### headings with their explicit ids, in order', () => {
    const source = [
      '---',
      'title: x',
      '---',
      '# Page title is not in the table of contents',
      '## Why this matters {/*why-it-matters*/}',
      'Some text.',
      '### A sub-section {/*sub*/}',
      '#### Too deep {/*too-deep*/}',
      '## Knowledge check {/*knowledge-check*/}',
    ].join('\n');
    expect(extractToc(source)).toEqual([
      { id: 'why-it-matters', title: 'Why this matters', depth: 2 },
      { id: 'sub', title: 'A sub-section', depth: 3 },
      { id: 'knowledge-check', title: 'Knowledge check', depth: 2 },
    ]);
  });

  it('skips headings inside backtick and tilde code fences', () => {
    const source = [
      '## Before {/*before*/}',
      '```md',
      '## Not a heading {/*fake*/}',
      '```',
      '~~~',
      '### Also not {/*fake-too*/}',
      '~~~',
      '## After {/*after*/}',
    ].join('\n');
    expect(extractToc(source).map((entry) => entry.id)).toEqual(['before', 'after']);
  });

  it('ignores headings without an id comment, and ids that are not lowercase slugs', () => {
    const source = ['## No id here', '## Bad id {/*Bad_Id*/}', '## Good {/*good-1*/}'].join('\n');
    expect(extractToc(source)).toEqual([{ id: 'good-1', title: 'Good', depth: 2 }]);
  });

  it('strips emphasis, code ticks and math dollars from titles', () => {
    const source = '## The *chain* rule for `grad` and $w$ {/*chain*/}';
    expect(extractToc(source)).toEqual([{ id: 'chain', title: 'The chain rule for grad and w', depth: 2 }]);
  });

  it('accepts spaces inside the id comment', () => {
    expect(extractToc('### Spaced {/* spaced-id */}')).toEqual([{ id: 'spaced-id', title: 'Spaced', depth: 3 }]);
  });
});
