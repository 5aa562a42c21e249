import type { ReactNode } from 'react';

/**
 * A segment layout so 403 pages from forbidden() render inside the instructor area. It checks
 * nothing: every page and action checks the session itself (lib/server/instructor/access.ts).
 */
export default function InstructorLayout({ children }: { children: ReactNode }) {
  return children;
}
