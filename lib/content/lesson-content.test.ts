import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { compile, run } from '@mdx-js/mdx';
import * as jsxRuntime from 'react/jsx-runtime';
import remarkFrontmatter from 'remark-frontmatter';
import remarkMath from 'remark-math';
import remarkMdxFrontmatter from 'remark-mdx-frontmatter';
import type { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';

import rehypeKatexHtml from '@/lib/mdx/rehype-katex-html.mjs';
import remarkHeadingIds from '@/lib/mdx/remark-heading-ids.mjs';

import { LESSON_SLUGS } from './catalog';
import { parseLessonFrontmatter } from './frontmatter';
import { extractToc } from './headings';

/**
 * Compiles every lesson the way next.config.mjs does (the same plugins and KaTeX options) and
 * checks that the math typesets cleanly: no failure, no vfile message, no KaTeX error markup.
 */

const LESSONS_DIR = path.join(process.cwd(), 'content', 'lessons');

/** The interactive widgets that a lesson may mark with {/* widget: kind *\/} or embed. */
const WIDGET_KINDS = [
  'forward-pass',
  'backward-steps',
  'blame-paths',
  'nudge-test',
  'graph-playground',
  'gradient-step',
  'network',
] as const;

/** Section ids that progress records and links depend on; removing one is a breaking change. */
const EXPECTED_IDS: Record<string, string[]> = {
  'chain-rule-computational-graphs': [
    'aha',
    'why-it-matters',
    'objectives',
    'composition',
    'graphs',
    'credit-assignment',
    'worked-example',
    'forward-numbers',
    'backward-numbers',
    'nudge-check',
    'sum-over-paths',
    'network',
    'troubleshooting',
    'connections',
    'autodiff',
    'credit',
    'next-step',
    'key-insights',
    'knowledge-check',
    'resources',
  ],
};

/** Widget kinds each lesson must mark, so a placement is not lost in an edit. */
const EXPECTED_WIDGETS: Record<string, readonly string[]> = {
  'chain-rule-computational-graphs': WIDGET_KINDS,
};

const WIDGET_MARKER = /^\s*\/\*\s*widget:\s*(\S+?)\s*\*\/\s*$/;

interface MdxNode {
  type: string;
  name?: string | null;
  value?: string;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: MdxNode[];
}

interface Collected {
  markers: string[];
  /** Comments that mention a widget but do not follow the marker format exactly. */
  malformedMarkers: string[];
  components: { name: string; kind?: string }[];
}

/** A remark plugin that records widget markers and JSX element names from the MDX tree. */
function collectInto(collected: Collected) {
  return () => (tree: MdxNode) => {
    const visit = (node: MdxNode) => {
      if (node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') {
        const value = node.value ?? '';
        const marker = WIDGET_MARKER.exec(value);
        if (marker?.[1]) collected.markers.push(marker[1]);
        else if (/widget/i.test(value)) collected.malformedMarkers.push(value);
      }
      if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name) {
        const kindAttr = node.attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'kind');
        collected.components.push({
          name: node.name,
          kind: typeof kindAttr?.value === 'string' ? kindAttr.value : undefined,
        });
      }
      node.children?.forEach(visit);
    };
    visit(tree);
  };
}

async function compileMdx(source: string, file: string) {
  const collected: Collected = { markers: [], malformedMarkers: [], components: [] };
  const compiled: VFile = await compile(
    { path: file, value: source },
    {
      outputFormat: 'function-body',
      remarkPlugins: [
        remarkFrontmatter,
        [remarkMdxFrontmatter, { name: 'frontmatter' }],
        remarkMath,
        remarkHeadingIds,
        collectInto(collected),
      ],
      rehypePlugins: [rehypeKatexHtml],
    },
  );
  const mod = await run(compiled, { ...jsxRuntime, baseUrl: import.meta.url });
  return {
    source,
    compiled,
    code: String(compiled),
    collected,
    frontmatter: (mod as { frontmatter?: unknown }).frontmatter,
  };
}

function compileLesson(slug: string) {
  const file = path.join(LESSONS_DIR, slug, 'lesson.mdx');
  return compileMdx(readFileSync(file, 'utf8'), file);
}

/**
 * What bad TeX leaves behind: a failed compile (rehype-katex-html throws on it), a vfile message,
 * or red text or a katex-error span in the output (had a plugin rendered errors instead).
 */
async function katexProblemsOf(source: string, file: string): Promise<string[]> {
  try {
    return katexProblems(await compileMdx(source, file));
  } catch (error) {
    return [`compile failed: ${String(error)}`];
  }
}

function katexProblems({ compiled, code }: { compiled: VFile; code: string }): string[] {
  const problems = compiled.messages.map((m) => `${m.line ?? '?'}:${m.column ?? '?'} ${m.source ?? ''} ${m.reason}`);
  if (code.includes('katex-error')) problems.push('output contains a katex-error span');
  // With throwOnError off, KaTeX draws an unknown macro in its error colour instead of a span.
  if (/#cc0000/i.test(code)) problems.push('output contains KaTeX error colour #cc0000');
  return problems;
}

/**
 * Names registered in mdx-components.tsx, read from its source: importing the registry would
 * pull in every widget and server module, which a plain Node test cannot (and need not) load.
 */
function registeredComponentNames(): string[] {
  const source = readFileSync(path.join(process.cwd(), 'mdx-components.tsx'), 'utf8');
  // The registry is `lessonComponents`, which spreads in `interactiveComponents`.
  const bodies = [...source.matchAll(/const (?:lesson|interactive)Components = \{([\s\S]*?)\}/g)].map(
    (match) => match[1] ?? '',
  );
  return bodies.flatMap((body) =>
    [...body.matchAll(/^\s*([A-Z][A-Za-z0-9]*)\s*(?:[:,]|$)/gm)].map((match) => match[1] ?? ''),
  );
}

function kebab(name: string): string {
  return name
    .replace(/Widget$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

const lessonDirs = readdirSync(LESSONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('lesson content', () => {
  it('detects bad TeX (the checks below are not vacuous)', async () => {
    const file = 'fixture.mdx';
    for (const bad of [
      'An unknown macro $\\foo{x}$.',
      'A strict-mode violation $\u00e9$ (accented letter in math mode).',
      'A missing argument:\n\n$$\n\\frac{a}\n$$',
    ]) {
      expect(await katexProblemsOf(bad, file), bad).not.toEqual([]);
    }
    expect(await katexProblemsOf('Fine: $\\frac{a}{b}$.', file)).toEqual([]);
  });

  it('finds the lessons on disk', () => {
    expect(lessonDirs.length).toBeGreaterThan(0);
    for (const slug of LESSON_SLUGS) expect(lessonDirs).toContain(slug);
  });

  describe.each(lessonDirs)('%s', (slug) => {
    const lesson = compileLesson(slug);

    it('compiles with no KaTeX errors or warnings', async () => {
      const result = await lesson;
      expect(katexProblems(result)).toEqual([]);
      // Sanity check that the lesson has math the plugin checked, so the assertion above means something.
      expect(result.code).toMatch(/_jsx\(Formula, \{\s*className: "katex/);
    });

    it('has valid frontmatter', async () => {
      const { frontmatter } = await lesson;
      expect(() => parseLessonFrontmatter(frontmatter, `content/lessons/${slug}/lesson.mdx`)).not.toThrow();
    });

    it('has every expected section id, each once', async () => {
      const { source } = await lesson;
      const ids = extractToc(source).map((entry) => entry.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of EXPECTED_IDS[slug] ?? ['knowledge-check']) expect(ids).toContain(id);
    });

    it('marks or embeds only known widget kinds', async () => {
      const { collected } = await lesson;
      expect(collected.malformedMarkers).toEqual([]);
      for (const kind of collected.markers) expect(WIDGET_KINDS).toContain(kind);

      const registry = registeredComponentNames();
      expect(registry).toContain('KnowledgeCheck');
      const used = collected.components.filter((c) => /^[A-Z]/.test(c.name));
      for (const component of used) {
        // Every capitalised element must be registered, or the page fails at render time.
        expect(registry, `<${component.name}> is not in mdx-components.tsx`).toContain(component.name);
      }
      // Widget components are <Widget kind="..." /> or <SomethingWidget />, named after their kind.
      const widgetKinds = used
        .filter((c) => c.name === 'Widget' || /Widget$/.test(c.name))
        .map((c) => (c.name === 'Widget' ? (c.kind ?? '(missing kind)') : kebab(c.name)));
      for (const kind of widgetKinds) expect(WIDGET_KINDS).toContain(kind);

      // Each expected widget is placed, either still as a marker or already as a component.
      const componentNames = used.map((c) => kebab(c.name));
      for (const kind of EXPECTED_WIDGETS[slug] ?? []) {
        const placed =
          collected.markers.includes(kind) ||
          widgetKinds.includes(kind) ||
          componentNames.some((n) => n.startsWith(kind));
        expect(placed, `widget "${kind}" is neither marked nor embedded`).toBe(true);
      }
    });

    it('places the knowledge check in its own section', async () => {
      const { source, collected } = await lesson;
      expect(collected.components.filter((c) => c.name === 'KnowledgeCheck')).toHaveLength(1);
      const lines = source.split('\n');
      const at = lines.findIndex((line) => line.trim() === '<KnowledgeCheck />');
      const heading = lines
        .slice(0, at)
        .reverse()
        .find((line) => /^#{2,3}\s/.test(line));
      expect(heading).toMatch(/\{\/\*knowledge-check\*\/\}/);
    });
  });
});
