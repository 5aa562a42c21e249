import { Children, Fragment, isValidElement, type ComponentType, type ReactNode } from 'react';

/**
 * Renders a compiled lesson with its static blocks grouped into `<div className="lesson-run">`
 * boxes: a run starts at each h2 and at each block after an interactive one, and interactive
 * blocks (widgets, the knowledge check: components in `interactive`) stay outside any run.
 * globals.css gives runs `content-visibility: auto`, so the browser skips style, layout and
 * paint of the typeset math far from the viewport: the first layout of the page, each
 * re-layout after a widget loads and each frame of a slider drag then cost about a screen of a
 * ~8,000-element page instead of all of it (docs/decisions/004, update). Server-only markup:
 * no client code, nothing more to hydrate.
 *
 *   <LessonSections content={Content} interactive={interactiveLessonComponents} />
 *
 * Why form controls stay outside: when the document finishes parsing, Chrome inspects every
 * form control on the page (autofill), which forces a skipped box that holds one to be laid
 * out at once, one forced layout per box, all in one long task; measured, that undid most of
 * the gain. Interactive blocks get a box of their own, `<div className="lesson-block">`: for a
 * widget, globals.css skips it too when far away (issue 17: otherwise every frame of the page
 * laid out and painted all seven widgets). The box is what stays when a lazy widget swaps its
 * server frame for the loaded one, so its remembered height survives the swap (on the frame
 * itself the new element showed the estimate, an empty box, for a frame). The knowledge
 * check's box is not skipped: it holds the fixed "continue where you left off" offer, which a
 * contained box would trap; its sections are skipped instead.
 *
 * MDX compiles a lesson into a component that returns one fragment of top-level blocks (h2, p,
 * display math, widgets…). It calls no React hooks (the MDX "provider" is the plain function
 * in mdx-components.tsx), so it is called here directly to get those blocks. Anything else (a
 * future MDX version returning another shape) is rendered unchanged.
 */
export function LessonSections({
  content: Content,
  interactive,
}: {
  content: ComponentType;
  interactive: ReadonlySet<unknown>;
}) {
  const tree = (Content as (props: Record<string, never>) => ReactNode)({});
  if (!isValidElement<{ children?: ReactNode }>(tree) || tree.type !== Fragment) return tree;
  const output: ReactNode[] = [];
  let run: ReactNode[] = [];
  const endRun = () => {
    if (run.length === 0) return;
    output.push(
      <div key={`run-${output.length}`} className="lesson-run">
        {run}
      </div>,
    );
    run = [];
  };
  for (const child of Children.toArray(tree.props.children)) {
    if (typeof child === 'string' && child.trim() === '') continue;
    if (isValidElement(child) && interactive.has(child.type)) {
      endRun();
      output.push(
        <div key={`block-${output.length}`} className="lesson-block">
          {child}
        </div>,
      );
      continue;
    }
    if (isValidElement(child) && child.type === 'h2') endRun();
    run.push(child);
  }
  endRun();
  return output;
}
