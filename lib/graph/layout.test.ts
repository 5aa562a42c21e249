import { describe, expect, it } from 'vitest';

import { compile, EXAMPLE_PROGRAMS } from '@/lib/autodiff';

import { layoutTrace } from './layout';

const traceOf = (id: string) => {
  const example = EXAMPLE_PROGRAMS.find((program) => program.id === id)!;
  return compile(example.source).run(example.env).trace;
};

describe('layoutTrace', () => {
  it('lays the lesson neuron out left to right with every node and edge', () => {
    const trace = traceOf('neuron-squared-error');
    const layout = layoutTrace(trace);
    expect(layout.nodes.map((node) => node.name).sort()).toEqual(['L', 'a', 'b', 'p', 'w', 'x', 'y', 'z']);
    expect(layout.edges).toHaveLength(trace.edges.length);
    const byId = new Map(layout.nodes.map((node) => [node.id, node]));
    for (const edge of layout.edges) {
      expect(byId.get(edge.from)!.x).toBeLessThan(byId.get(edge.to)!.x);
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
    }
    // Output is the rightmost node; titles show op symbols for named ops.
    const L = layout.nodes.find((node) => node.name === 'L')!;
    expect(Math.max(...layout.nodes.map((node) => node.x))).toBe(L.x);
    expect(layout.nodes.find((node) => node.name === 'a')!.opLabel).toBe('σ');
    expect(layout.output).toBe(trace.output);
  });

  it('is deterministic and values do not change it', () => {
    const example = EXAMPLE_PROGRAMS.find((program) => program.id === 'neuron-squared-error')!;
    const program = compile(example.source);
    const first = layoutTrace(program.run(example.env).trace);
    const second = layoutTrace(program.run({ ...example.env, w: -2.5, b: 3 }).trace);
    expect(second).toEqual(first);
  });

  it('keeps nodes inside the drawing and apart from each other', () => {
    const layout = layoutTrace(traceOf('tanh-neuron'), { edgeLabels: true });
    for (const node of layout.nodes) {
      expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
      expect(node.y - node.height / 2).toBeGreaterThanOrEqual(0);
      expect(node.x + node.width / 2).toBeLessThanOrEqual(layout.width);
      expect(node.y + node.height / 2).toBeLessThanOrEqual(layout.height);
    }
    for (const [i, a] of layout.nodes.entries()) {
      for (const b of layout.nodes.slice(i + 1)) {
        const apart =
          Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        expect(apart).toBe(true);
      }
    }
  });

  it('draws both parallel edges of b*b and names unnamed op nodes by op and id', () => {
    const trace = compile('b = w*x\nL = b*b + b').run({ w: 2, x: 3 }).trace;
    const layout = layoutTrace(trace);
    const keys = layout.edges.map((edge) => edge.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(layout.nodes.map((node) => node.name)).toContain('mul3');
    expect(layout.nodes.find((node) => node.name === 'mul3')!.label).toBe('×');
  });
});
