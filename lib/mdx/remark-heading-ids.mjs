// Gives each Markdown heading a stable id written by the author, react.dev style:
//   ## Why this matters {/*why-it-matters*/}
// Progress records and shared links point at these ids, so they must not change when the
// heading's wording is edited. The trailing MDX comment is removed from the rendered text.
// A heading without an explicit id is a build error: silently slugging the text would make
// ids drift with every copy edit.

const ID_COMMENT = /^\/\*\s*([a-z0-9][a-z0-9-]*)\s*\*\/$/;

/** @param {any} node */
function takeExplicitId(node) {
  const last = node.children?.[node.children.length - 1];
  if (!last || last.type !== 'mdxTextExpression') return undefined;
  const match = ID_COMMENT.exec(String(last.value).trim());
  if (!match) return undefined;
  node.children.pop();
  const before = node.children[node.children.length - 1];
  if (before && before.type === 'text') before.value = before.value.replace(/\s+$/, '');
  return match[1];
}

/** @param {any} tree @param {(node: any) => void} visit */
function walk(tree, visit) {
  visit(tree);
  for (const child of tree.children ?? []) walk(child, visit);
}

export default function remarkHeadingIds() {
  /** @param {any} tree @param {any} file */
  return (tree, file) => {
    const seen = new Set();
    walk(tree, (node) => {
      if (node.type !== 'heading' || node.depth < 2 || node.depth > 3) return;
      const id = takeExplicitId(node);
      const where = `${file.path ?? 'lesson'}:${node.position?.start.line ?? '?'}`;
      if (!id) {
        file.fail(`${where}: heading needs a stable id, e.g. "## Title {/*title*/}"`, node);
      }
      if (seen.has(id)) file.fail(`${where}: duplicate heading id "${id}"`, node);
      seen.add(id);
      node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } };
    });
  };
}
