import type { MDXComponents } from 'mdx/types';

import { Callout } from '@/app/_components/lesson/Callout';
import { KnowledgeCheck } from '@/app/_components/lesson/KnowledgeCheck';

/**
 * The one registry of components that lesson MDX may use. Authors never import inside MDX
 * (react.dev's convention): adding a component to a lesson means adding it here once.
 */
const lessonComponents = {
  Callout,
  KnowledgeCheck,
} satisfies MDXComponents;

export function useMDXComponents(components: MDXComponents = {}): MDXComponents {
  return { ...components, ...lessonComponents };
}
