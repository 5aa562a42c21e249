import 'katex/dist/katex.min.css';
import './globals.css';

import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';

export const metadata: Metadata = {
  title: { default: 'Autodidact', template: '%s · Autodidact' },
  description: 'Self-paced interactive lessons on the chain rule, computational graphs and backpropagation.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0f1419' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <nav aria-label="Site" className="site-nav">
            <Link href="/" className="brand">
              Autodidact
            </Link>
            <span className="nav-spacer" />
            <Link href="/instructor">For instructors</Link>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>Autodidact: learn by poking at the math.</p>
        </footer>
      </body>
    </html>
  );
}
