import type { TocEntry } from '@/lib/content/headings';

export function TableOfContents({ entries }: { entries: TocEntry[] }) {
  return (
    <nav className="toc" aria-labelledby="toc-title">
      <details>
        <summary id="toc-title">On this page</summary>
        <ol>
          {entries.map((entry) => (
            <li key={entry.id} className={entry.depth === 3 ? 'toc-sub' : undefined}>
              <a href={`#${entry.id}`}>{entry.title}</a>
            </li>
          ))}
        </ol>
      </details>
    </nav>
  );
}
