import type { MDXComponents } from 'mdx/types';

import { BeforeAfter, Column } from '@/app/_components/lesson/BeforeAfter';
import { Callout } from '@/app/_components/lesson/Callout';
import { ChainOfInfluence } from '@/app/_components/lesson/ChainOfInfluence';
import { Formula } from '@/app/_components/lesson/Formula';
import { KnowledgeCheck } from '@/app/_components/lesson/KnowledgeCheck';
import { NeuronGraphDiagram } from '@/app/_components/lesson/NeuronGraphDiagram';
import { BackwardStepsWidget } from '@/app/_components/widgets/backward-steps/BackwardStepsWidget';
import { BlamePathsWidget } from '@/app/_components/widgets/blame-paths/BlamePathsWidget';
import { ForwardPassWidget } from '@/app/_components/widgets/forward-pass/ForwardPassWidget';
import { GradientStepWidget } from '@/app/_components/widgets/gradient-step/GradientStepWidget';
import { GraphPlaygroundWidget } from '@/app/_components/widgets/graph-playground/GraphPlaygroundWidget';
import { NetworkWidget } from '@/app/_components/widgets/network/NetworkWidget';
import { NudgeTestWidget } from '@/app/_components/widgets/nudge-test/NudgeTestWidget';

/**
 * Lesson components that hold form controls or load code: LessonSections keeps them out of the
 * boxes whose rendering the browser may skip (see there).
 */
const interactiveComponents = {
  BackwardStepsWidget,
  BlamePathsWidget,
  ForwardPassWidget,
  GradientStepWidget,
  GraphPlaygroundWidget,
  NetworkWidget,
  NudgeTestWidget,
  KnowledgeCheck,
} satisfies MDXComponents;

export const interactiveLessonComponents: ReadonlySet<unknown> = new Set(Object.values(interactiveComponents));

/**
 * The one registry of components that lesson MDX may use. Authors never import inside MDX
 * (react.dev's convention): adding a component to a lesson means adding it here once.
 */
const lessonComponents = {
  ...interactiveComponents,
  BeforeAfter,
  Callout,
  ChainOfInfluence,
  Column,
  Formula,
  NeuronGraphDiagram,
} satisfies MDXComponents;

export function useMDXComponents(components: MDXComponents = {}): MDXComponents {
  return { ...components, ...lessonComponents };
}
