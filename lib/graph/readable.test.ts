import { describe, expect, it } from 'vitest';

import { compile } from '@/lib/autodiff/program';

import { layoutTrace } from './layout';
import { readableNodeName } from './types';

describe('readableNodeName', () => {
  it('names unnamed operations by what they do to their inputs, never by an internal id', () => {
    const program = compile('v = u*c\nlog(x) + v*2');
    const layout = layoutTrace(program.run({ u: 1, c: 2, x: 3 }).trace);
    const names = layout.nodes.map((node) => readableNodeName(layout, node.id)).sort();
    expect(names).toEqual(['(log(x) + (v × 2))', '(v × 2)', '2', 'c', 'log(x)', 'u', 'v', 'x'].sort());
    for (const name of names) expect(name).not.toMatch(/\b(add|mul|log|const)\d+\b/);
  });
});
