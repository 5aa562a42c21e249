'use client';

import { useMemo } from 'react';

import type { GraphLayout } from '@/lib/graph/types';
import { defineWidgetState } from '@/lib/widgets/url-state';

import { Choice } from '../Choice';
import { formatNumber } from '../format';
import { GraphLegend } from '../GraphLegend';
import { GraphView } from '../GraphView';
import { LOSS_OPTIONS, NEURON_FIELDS, NEURON_SLIDERS, neuronProgram, type Loss } from '../neuron';
import { NodeTable } from '../NodeTable';
import { useWidgetControls } from '../useWidgetUrlState';
import { VariableSlider } from '../VariableSlider';
import { WidgetFrame } from '../WidgetFrame';
import styles from '../widgets.module.css';

const STATE = defineWidgetState(NEURON_FIELDS);

export interface ForwardPassClientProps {
  id: string;
  layouts: Record<Loss, GraphLayout>;
}

export function ForwardPassClient({ id, layouts }: ForwardPassClientProps) {
  const { values, hidden, locked, update, reset, shareUrl } = useWidgetControls('forward-pass', id, STATE);
  const { x, w, b, y, loss } = values;
  // Compiled once per loss; each input change is one run of the tape (no parsing, no layout).
  const run = useMemo(() => neuronProgram(loss).run({ w, x, b, y }), [loss, w, x, b, y]);
  const layout = layouts[loss];

  return (
    <WidgetFrame
      kind="forward-pass"
      id={id}
      caption="Drag a slider or type a number: every node recomputes while you drag. Tab moves through the nodes."
      onReset={reset}
      shareUrl={shareUrl}
    >
      <div className={styles.controls}>
        {NEURON_SLIDERS.map((slider) => (
          <VariableSlider
            key={slider.name}
            name={slider.name}
            description={slider.description}
            min={slider.min}
            max={slider.max}
            value={values[slider.name]}
            hidden={hidden.has(slider.name)}
            locked={locked.has(slider.name)}
            onChange={(value) => update(slider.name, { [slider.name]: value })}
          />
        ))}
      </div>
      <Choice
        legend="Loss"
        name={`${id}-loss`}
        value={loss}
        options={LOSS_OPTIONS}
        hidden={hidden.has('loss')}
        locked={locked.has('loss')}
        onChange={(next) => update('loss', { loss: next })}
      />
      <p className={styles.readout}>
        <span>
          z = w·x + b = <output className={styles.forwardNumber}>{formatNumber(run.values.z ?? NaN)}</output>
        </span>
        <span>
          a = σ(z) = <output className={styles.forwardNumber}>{formatNumber(run.values.a ?? NaN)}</output>
        </span>
        <span>
          L = {loss === 'sq' ? '(a − y)²' : '−[y log a + (1 − y) log(1 − a)]'} ={' '}
          <output className={styles.forwardNumber}>{formatNumber(run.value)}</output>
        </span>
      </p>
      <GraphView layout={layout} trace={run.trace} label="Computational graph of the neuron and its loss" />
      <GraphLegend />
      <NodeTable layout={layout} trace={run.trace} caption="Every node of the graph: its value and ∂L/∂node" />
    </WidgetFrame>
  );
}
