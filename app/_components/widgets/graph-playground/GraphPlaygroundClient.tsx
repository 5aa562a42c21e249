'use client';

import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';

import type { CompiledProgram, ProgramResult } from '@/lib/autodiff/program';
import { edgeKey, readableNodeName, type GraphLayout } from '@/lib/graph/types';
import {
  decodeVars,
  domainIssues,
  encodeVars,
  envFor,
  errorLocation,
  MAX_SOURCE_LENGTH,
  outputName,
  sliderRange,
  tooLargeToDraw,
  tryCompile,
  untrustedGradients,
  type ProgramError,
} from '@/lib/widgets/playground';
import { defineWidgetState, oneOf, text } from '@/lib/widgets/url-state';

import { Choice } from '../Choice';
import { dataNumber, formatNumber } from '../format';
import { GraphLegend } from '../GraphLegend';
import { GraphView } from '../GraphView';
import styles from '../lab.module.css';
import { NodeTable } from '../NodeTable';
import { TableScroll } from '../TableScroll';
import { useWidgetEvents } from '../useWidgetEvents';
import { useWidgetUrlState } from '../useWidgetUrlState';
import { VariableSlider } from '../VariableSlider';
import { WidgetFrame } from '../WidgetFrame';
import shared from '../widgets.module.css';

import { DEFAULT_EXAMPLE, EXAMPLE_IDS, EXAMPLES, LAYOUT_OPTIONS, exampleById } from './examples';

/**
 * URL state: the example the program started from, the program itself when it differs from
 * that example (only programs that compiled are written), variable values that differ from
 * the example's, and the derivative mode. Extra controls for `hide`/`lock`: the editor, the
 * example picker and all variable sliders at once.
 */
const STATE = defineWidgetState(
  {
    ex: oneOf(EXAMPLE_IDS, DEFAULT_EXAMPLE),
    src: text('', MAX_SOURCE_LENGTH),
    vars: text('', 1000),
    mode: oneOf(['reverse', 'forward'] as const, 'reverse'),
  },
  ['editor', 'sliders'],
);

/** Re-layout after typing pauses this long: one dagre run per pause, not per keystroke. */
const TYPING_DEBOUNCE_MS = 150;

const MODE_OPTIONS = [
  { value: 'reverse', label: 'reverse (backprop)' },
  { value: 'forward', label: 'forward' },
] as const;

interface Shown {
  source: string;
  program: CompiledProgram;
  layout: GraphLayout;
}

type Mode = 'reverse' | 'forward';

function safeRun(program: CompiledProgram, env: Record<string, number>, mode: Mode): ProgramResult | ProgramError {
  try {
    return program.run(env, { mode });
  } catch (error) {
    return { line: 0, column: 0, detail: error instanceof Error ? error.message : String(error) };
  }
}

export interface GraphPlaygroundClientProps {
  id: string;
  /** The default example, laid out on the server. */
  initial: { source: string; layout: GraphLayout };
}

export function GraphPlaygroundClient({ id, initial }: GraphPlaygroundClientProps) {
  const { values, hidden, locked, set, reset, shareUrl } = useWidgetUrlState(id, STATE);
  const { markUsed } = useWidgetEvents('graph-playground', id);
  const editorId = useId();
  const helpId = useId();
  const errorId = useId();
  const editor = useRef<HTMLTextAreaElement>(null);

  const example = exampleById(values.ex);
  const source = values.src === '' ? example.source : values.src;

  const [shown, setShown] = useState<Shown>(() => {
    const outcome = tryCompile(initial.source);
    if (!outcome.ok) throw new Error(`the default example does not compile: ${outcome.error.detail}`);
    return { source: initial.source, program: outcome.program, layout: initial.layout };
  });
  const [draft, setDraft] = useState(initial.source);
  const [error, setError] = useState<(ProgramError & { source: string }) | null>(null);
  const [laying, setLaying] = useState(false);
  const layouts = useRef(new Map([[initial.source, initial.layout]]));
  /** Bumped for every program we start showing; an older async layout is then dropped. */
  const generation = useRef(0);
  const draftRef = useRef(draft);
  useEffect(() => {
    draftRef.current = draft;
  }, [draft]);

  /** Compiles and lays out `next`; resolves true when it is now the drawn program. */
  const show = useCallback(async (next: string): Promise<boolean> => {
    const outcome = tryCompile(next);
    if (!outcome.ok) {
      setError({ ...outcome.error, source: next });
      return false;
    }
    const mine = ++generation.current;
    let layout = layouts.current.get(next);
    if (!layout) {
      // Layout depends on structure alone, so any values do; the first run supplies the trace.
      const trace = outcome.program.run(envFor(outcome.program.variables, {})).trace;
      // A graph too big to lay out quickly is refused before dagre runs: the layout blocks the
      // page while it runs, and x*x*...*x in a shared link once froze the tab for minutes.
      const tooBig = tooLargeToDraw(trace);
      if (tooBig) {
        setLaying(false);
        setError({ ...tooBig, source: next });
        return false;
      }
      setLaying(true);
      try {
        // dagre is loaded only now, never with the page.
        const { layoutTrace } = await import('@/lib/graph/layout');
        layout = layoutTrace(trace, LAYOUT_OPTIONS);
        layouts.current.set(next, layout);
      } catch (failure) {
        if (mine === generation.current) {
          setLaying(false);
          setError({ line: 0, column: 0, detail: `could not draw the graph (${String(failure)})`, source: next });
        }
        return false;
      }
    }
    if (mine !== generation.current) return false;
    setLaying(false);
    setShown({ source: next, program: outcome.program, layout });
    setError(null);
    return true;
  }, []);

  // The program in the URL (an example, a shared link, Reset) changed from outside the editor:
  // the editor follows it (state adjusted during render, React's pattern for derived resets).
  const [seenSource, setSeenSource] = useState(source);
  if (source !== seenSource) {
    setSeenSource(source);
    if (source !== shown.source) setDraft(source);
  }
  useEffect(() => {
    if (source === shown.source) return;
    // Synchronising with an outside resource: the layout may need dagre, loaded on demand, and
    // show() settles when it has arrived (a cached layout or a compile error settles at once).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void show(source);
    // `shown` is deliberately left out: this reacts to the URL, not to what is drawn.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source, show]);

  // Typing: compile and re-layout once the learner pauses.
  useEffect(() => {
    if (draft === shown.source && error === null) return;
    if (draft === error?.source) return;
    const timer = window.setTimeout(() => {
      void show(draft).then((ok) => {
        if (!ok || draftRef.current !== draft) return;
        set({ src: draft === example.source ? '' : draft });
      });
    }, TYPING_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [draft, shown.source, error, show, set, example.source]);

  const defaults = useMemo(() => {
    // The example's values, then the URL's: a variable kept across edits keeps its value.
    return { ...example.env, ...decodeVars(values.vars) };
  }, [example.env, values.vars]);
  const env = useMemo(
    () => envFor(shown.program.variables, defaults, example.env),
    [shown.program, defaults, example.env],
  );
  // Sliders only re-run the compiled program: no parsing, no layout.
  const result = useMemo(() => safeRun(shown.program, env, values.mode), [shown.program, env, values.mode]);
  const run = 'trace' in result ? result : null;

  const edgeLabels = useMemo(() => {
    if (!run) return undefined;
    const labels: Record<string, string> = {};
    for (const edge of run.trace.edges) labels[edgeKey(edge)] = formatNumber(edge.localDerivative, 3);
    return labels;
  }, [run]);

  const setVariable = (name: string, value: number) => {
    markUsed(name);
    set({ vars: encodeVars({ ...decodeVars(values.vars), ...env, [name]: value }) });
  };
  // One stable onChange per variable, calling the latest setVariable: the memoised sliders
  // that did not move then skip their re-render on every input.
  const latestSetVariable = useRef(setVariable);
  useLayoutEffect(() => {
    latestSetVariable.current = setVariable;
  });
  const sliderHandlers = useMemo(
    () =>
      new Map(shown.program.variables.map((name) => [name, (value: number) => latestSetVariable.current(name, value)])),
    [shown.program.variables],
  );

  const location = error ? errorLocation(error.source, error) : null;
  const stale = error !== null || laying;
  const variables = shown.program.variables;
  const passes = run?.passes ?? 0;
  // An unnamed last line (`x * x + x`) is "output", never an internal id such as add3.
  const output = run
    ? outputName(
        run.trace.nodes.find((node) => node.id === run.trace.output),
        variables,
      )
    : 'output';
  const issues = useMemo(() => (run ? domainIssues(run.trace) : []), [run]);
  const untrusted = useMemo(() => (run ? untrustedGradients(run.trace) : new Set<string>()), [run]);
  const nodeLabel = (nodeId: number) => readableNodeName(shown.layout, nodeId);

  return (
    <WidgetFrame
      kind="graph-playground"
      id={id}
      caption={
        <>
          Write one statement per line: <code>name = expression</code> with + − * / ^, sigmoid, tanh, exp, log (the
          natural logarithm), relu, sqerr(a, y), bce(a, y) and more. Every name that is never assigned is a variable
          with a slider. Edges show local derivatives.
        </>
      }
      onReset={reset}
      shareUrl={shareUrl}
    >
      <div className={styles.playgroundTop}>
        {hidden.has('ex') ? null : (
          <div className={styles.field}>
            <label htmlFor={`${editorId}-example`}>Example</label>
            <select
              id={`${editorId}-example`}
              className={styles.select}
              value={values.src === '' ? values.ex : 'custom'}
              disabled={locked.has('ex')}
              onChange={(event) => {
                const next = event.currentTarget.value;
                if (next === 'custom') return;
                markUsed('ex');
                set({ ex: next, src: '', vars: '' });
              }}
            >
              {values.src === '' ? null : <option value="custom">Your program</option>}
              {EXAMPLES.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.title}
                </option>
              ))}
            </select>
            {/* The example's description only while its program is the one shown. */}
            {values.src === '' ? <p className={styles.hint}>{example.description}</p> : null}
          </div>
        )}
        {hidden.has('editor') ? null : (
          <div className={styles.field}>
            <label htmlFor={editorId}>Program</label>
            <textarea
              id={editorId}
              ref={editor}
              className={styles.editor}
              value={draft}
              rows={Math.min(12, Math.max(4, draft.split('\n').length + 1))}
              maxLength={MAX_SOURCE_LENGTH}
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              autoComplete="off"
              readOnly={locked.has('editor')}
              aria-invalid={error !== null}
              aria-describedby={`${helpId} ${errorId}`}
              onChange={(event) => {
                markUsed('editor');
                setDraft(event.currentTarget.value);
              }}
            />
            <p className={styles.hint} id={helpId}>
              The graph is redrawn when you pause typing. A program with a mistake keeps the last good graph.
            </p>
          </div>
        )}
      </div>
      <div
        id={errorId}
        className={styles.errorRegion}
        aria-live="polite"
        data-program-error=""
        data-error-line={error ? error.line : undefined}
        data-error-column={error ? error.column : undefined}
      >
        {error ? (
          <div className={styles.error}>
            <p className={styles.errorMessage}>
              <strong>{error.line > 0 ? `Line ${error.line}, column ${error.column}: ` : 'Error: '}</strong>
              {error.detail}
            </p>
            {location ? (
              <pre className={styles.errorSource} aria-hidden="true">
                {location.lineText}
                {'\n'}
                {' '.repeat(location.caret)}^
              </pre>
            ) : null}
            <p className={styles.errorFoot}>
              The graph below is still the last program that worked.{' '}
              {location && !hidden.has('editor') ? (
                <button
                  type="button"
                  className={`${shared.button} ${styles.smallButton}`}
                  onClick={() => {
                    const field = editor.current;
                    if (!field) return;
                    field.focus();
                    // A caret, not a selection: the next keystroke inserts instead of deleting.
                    field.setSelectionRange(location.offset, location.offset);
                  }}
                >
                  Go to the error
                </button>
              ) : null}
            </p>
          </div>
        ) : null}
      </div>
      {hidden.has('sliders') ? null : (
        <div className={shared.controls}>
          {variables.map((name) => {
            const range = sliderRange(example.env[name] ?? env[name] ?? 0);
            return (
              <VariableSlider
                key={name}
                name={name}
                min={Math.min(range.min, Math.floor(env[name]!))}
                max={Math.max(range.max, Math.ceil(env[name]!))}
                value={env[name]!}
                locked={locked.has('sliders')}
                onChange={sliderHandlers.get(name)!}
              />
            );
          })}
        </div>
      )}
      <div className={styles.row}>
        <Choice
          legend="Mode"
          name={`${id}-mode`}
          value={values.mode}
          options={MODE_OPTIONS}
          hidden={hidden.has('mode')}
          locked={locked.has('mode')}
          onChange={(mode) => {
            markUsed('mode');
            set({ mode });
          }}
        />
        <p className={styles.passes} data-passes={passes} data-mode={values.mode}>
          {values.mode === 'reverse' ? (
            <>
              <strong>{passes} backward pass</strong> gives the gradient for all {variables.length} input
              {variables.length === 1 ? '' : 's'}.
            </>
          ) : (
            <>
              <strong>
                {passes} forward pass{passes === 1 ? '' : 'es'}
              </strong>
              : one per input, each pushing a derivative forward from one variable.
            </>
          )}
        </p>
      </div>
      <ModeCost mode={values.mode} inputs={variables.length} output={output} />
      {issues.length > 0 ? (
        <div className={styles.domainWarning} role="note" data-domain-issues={issues.length}>
          <p>
            <strong>Outside the domain.</strong>{' '}
            {issues.map((issue, index) => (
              <span key={issue.node}>
                {index > 0 ? ' ' : ''}
                {nodeLabel(issue.node)}: {issue.message}.
              </span>
            ))}{' '}
            Its value is undefined (shown as —), so every gradient that passes through it means nothing; the table marks
            those as undefined.
          </p>
        </div>
      ) : null}
      <div className={stale ? styles.stale : undefined} aria-busy={laying}>
        {run ? (
          <>
            <GraphView
              layout={shown.layout}
              trace={run.trace}
              edgeLabels={edgeLabels}
              label="Your program's computational graph"
              output={output}
            />
            <GraphLegend output={output} />
          </>
        ) : (
          <p className={styles.errorMessage}>{'detail' in result ? result.detail : ''}</p>
        )}
      </div>
      {run ? (
        <>
          <GradientTable
            run={run}
            env={env}
            variables={variables}
            mode={values.mode}
            passes={passes}
            output={output}
            untrusted={untrusted}
          />
          <NodeTable
            layout={shown.layout}
            trace={run.trace}
            output={output}
            caption={`Every node of your graph: value and ∂${output}/∂node`}
          />
        </>
      ) : null}
    </WidgetFrame>
  );
}

interface GradientTableProps {
  run: ProgramResult;
  env: Readonly<Record<string, number>>;
  variables: readonly string[];
  mode: Mode;
  passes: number;
  output: string;
  /** Variables whose gradient passes through a value outside a function's domain. */
  untrusted: ReadonlySet<string>;
}

/**
 * The gradients of the output per variable, memoised: typing in the editor or a change that
 * leaves the numbers alone skips it. It updates in the slider's own frame: measured, deferring
 * it (useDeferredValue) cost a second frame per input, with its own style, layout and paint,
 * about 4 ms more main-thread work per input on the playground than doing it in one frame.
 */
const GradientTable = memo(function GradientTable({
  run,
  env,
  variables,
  mode,
  passes,
  output,
  untrusted,
}: GradientTableProps) {
  return (
    <TableScroll>
      <table className={`${shared.table} ${styles.gradients}`}>
        <caption>
          Gradients of the output, {mode} mode ({passes} pass{passes === 1 ? '' : 'es'})
        </caption>
        <thead>
          <tr>
            <th scope="col">Variable</th>
            <th scope="col">Value</th>
            <th scope="col">Gradient ∂{output}/∂variable</th>
            <th scope="col">Found by</th>
          </tr>
        </thead>
        <tbody>
          {variables.map((name, index) => (
            <tr
              key={name}
              data-variable={name}
              data-grad={dataNumber(run.gradients[name] ?? Number.NaN)}
              data-domain={untrusted.has(name) ? 'outside' : undefined}
            >
              <th scope="row">{name}</th>
              <td>{formatNumber(env[name]!)}</td>
              <td>
                {untrusted.has(name)
                  ? `undefined (engine: ${formatNumber(run.gradients[name] ?? Number.NaN)})`
                  : formatNumber(run.gradients[name] ?? Number.NaN)}
              </td>
              <td>{mode === 'reverse' ? 'the one backward pass' : `forward pass ${index + 1}, started at ${name}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
});

/**
 * What each mode computes and what it costs, side by side, with the chosen one marked: the
 * toggle alone changes only a count, which taught nothing (issue 16, item 12).
 */
function ModeCost({ mode, inputs, output }: { mode: Mode; inputs: number; output: string }) {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 'es'}`;
  return (
    <div className={styles.modeCost} data-mode-cost={mode}>
      <div className={mode === 'reverse' ? styles.modeChosen : styles.modeOther} data-mode-card="reverse">
        <p className={styles.modeTitle}>Reverse mode (backpropagation){mode === 'reverse' ? ': chosen' : ''}</p>
        <p>
          Starts at {output} with ∂{output}/∂{output} = 1 and sends it backward through every node once. One pass gives
          ∂{output}/∂ of every input at the same time. Cost: <strong>one pass per output</strong>, here{' '}
          {plural(1, 'pass')}.
        </p>
      </div>
      <div className={mode === 'forward' ? styles.modeChosen : styles.modeOther} data-mode-card="forward">
        <p className={styles.modeTitle}>Forward mode{mode === 'forward' ? ': chosen' : ''}</p>
        <p>
          Picks one input, sets its derivative to 1 and carries &ldquo;how much does this node move when that input
          moves&rdquo; forward, alongside the values. One pass gives ∂{output}/∂ of that one input. Cost:{' '}
          <strong>one pass per input</strong>, here {plural(inputs, 'pass')}.
        </p>
      </div>
      <p className={styles.modeNote}>
        Both give the same gradients (compare the table). A network has millions of inputs to adjust (its weights) and
        one loss, so training uses reverse mode.
      </p>
    </div>
  );
}
