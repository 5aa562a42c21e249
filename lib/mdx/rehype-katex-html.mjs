// Typesets remark-math's math with KaTeX at build time, like rehype-katex, but keeps each
// formula's markup as one HTML string: the math becomes `<KatexHtml className="katex"
// html="…" />` (mdx-components.tsx), a server component that emits the string with
// dangerouslySetInnerHTML. rehype-katex splices KaTeX's output in as hast, which MDX turns
// into React elements: hundreds of JSX nodes per formula, all serialised into the page's RSC
// payload and walked one by one during hydration. As one string, a formula is one element in
// the payload, and React hydrates it without visiting its children (docs/decisions/004,
// update). The DOM is the same: the component renders KaTeX's outer span itself.
// Options are KaTeX's (strict, output…). Bad TeX throws, which fails the build.
import katex from 'katex';

const OUTER_SPAN = /^<span class="([^"]+)">([\s\S]*)<\/span>$/;

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

/** @param {Record<string, unknown>} [options] */
export default function rehypeKatexHtml(options = {}) {
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
      let html;
      try {
        html = katex.renderToString(tex, { ...options, displayMode, throwOnError: true });
      } catch (error) {
        const where = `${file.path ?? 'lesson'}:${node.position?.start.line ?? '?'}`;
        file.fail(`${where}: KaTeX cannot typeset ${JSON.stringify(tex)}: ${String(error)}`, node);
      }
      const match = OUTER_SPAN.exec(html);
      if (!match) file.fail(`KaTeX output without one outer span: ${html.slice(0, 80)}`, node);
      const replacement = {
        type: block ? 'mdxJsxFlowElement' : 'mdxJsxTextElement',
        name: 'KatexHtml',
        attributes: [
          { type: 'mdxJsxAttribute', name: 'className', value: match[1] },
          { type: 'mdxJsxAttribute', name: 'html', value: match[2] },
        ],
        children: [],
      };
      parent.children.splice(parent.children.indexOf(node), 1, replacement);
      return false;
    });
  };
}
