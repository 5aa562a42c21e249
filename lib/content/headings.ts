/** One entry of a lesson's table of contents. */
export interface TocEntry {
  id: string;
  title: string;
  depth: 2 | 3;
}

// Mirrors lib/mdx/remark-heading-ids.mjs: "## Title {/*id*/}".
const HEADING = /^(#{2,3})\s+(.+?)\s*\{\/\*\s*([a-z0-9][a-z0-9-]*)\s*\*\/\}\s*$/;

/**
 * Reads the table of contents straight from the MDX source. Code fences are skipped so a
 * "## " inside an example is not taken for a heading.
 */
export function extractToc(source: string): TocEntry[] {
  const entries: TocEntry[] = [];
  let inFence = false;
  for (const line of source.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const match = HEADING.exec(line);
    if (!match) continue;
    const [, hashes = '', rawTitle = '', id = ''] = match;
    entries.push({
      id,
      title: rawTitle.replace(/[*_`]/g, '').replace(/\$[^$]*\$/g, (m) => m.slice(1, -1)),
      depth: hashes.length === 2 ? 2 : 3,
    });
  }
  return entries;
}
