// Checks remark-math's math with KaTeX at build time (bad TeX fails the build) and turns each
// formula into `<Formula className="katex" tex="…" mode="inline" />` (mdx-components.tsx), a
// client component that typesets on the server only (lib/mdx/katex-typeset.mjs). The page's RSC
// payload then carries each formula's TeX, a few bytes, instead of its markup: as an HTML string
// it travelled twice, once in the HTML and once in the payload (186 kB of a 345 kB payload;
// docs/decisions/004, fifth-session update). rehype-katex, before that, spliced KaTeX's output
// in as hast: hundreds of JSX nodes per formula, all in the payload and walked by hydration.
// It takes no options: the KaTeX options are the lesson's (KATEX_OPTIONS), which Formula uses
// too, so what the build checks is what the server renders.
import { typesetFormula } from './katex-typeset.mjs';

/** @param {any} node @returns {string} */
function textOf(node) {
  if (node.type === 'text') return node.value;
  return (node.children ?? []).map(textOf).join('');
}

/** Visits every node; `visit` returning false skips the node's children. @param {any} parent @param {(node: any, parent: any) => boolean} visit */
function walk(parent, visit) {
  for (const child of [...(parent.children ?? [])]) {
    if (visit(child, parent) === false) continue;
    walk(child, visit);
  }
}

export default function rehypeKatexHtml() {
  /** @param {any} tree @param {any} file */
  return (tree, file) => {
    walk(tree, (node, parent) => {
      if (node.type !== 'element') return true;
      // remark-math writes display math as <pre><code class="language-math math-display">
      // and inline math as <code class="language-math math-inline">.
      const code = node.tagName === 'pre' ? node.children?.find((child) => child.type === 'element') : node;
      const classes = Array.isArray(code?.properties?.className) ? code.properties.className : [];
      if (!classes.includes('language-math') && !classes.includes('math-display') && !classes.includes('math-inline')) {
        return true;
      }
      const block = node.tagName === 'pre';
      const displayMode = block || classes.includes('math-display');
      const tex = textOf(code);
      let className = '';
      try {
        ({ className } = typesetFormula(tex, displayMode));
      } catch (error) {
        const where = `${file.path ?? 'lesson'}:${node.position?.start.line ?? '?'}`;
        file.fail(`${where}: KaTeX cannot typeset ${JSON.stringify(tex)}: ${String(error)}`, node);
      }
      const replacement = {
        type: block ? 'mdxJsxFlowElement' : 'mdxJsxTextElement',
        name: 'Formula',
        attributes: [
          { type: 'mdxJsxAttribute', name: 'className', value: className },
          { type: 'mdxJsxAttribute', name: 'tex', value: tex },
          { type: 'mdxJsxAttribute', name: 'mode', value: displayMode ? 'display' : 'inline' },
        ],
        children: [],
      };
      parent.children.splice(parent.children.indexOf(node), 1, replacement);
      return false;
    });
  };
}
