/**
 * Engine vs. hand-written closed-form gradients over Float64Array (the physical floor).
 * Prints one JSON line per case; exits non-zero if any engine gradient differs from the
 * baseline by a relative error above 1e-12. Run: npm run bench:autodiff
 *
 * Each baseline mirrors the engine's order of floating-point operations, so agreement is
 * expected to the last bit or two; a larger gap means a wrong gradient, not rounding.
 */
import { Tape, backward } from '../../lib/autodiff/index';

const REL_TOLERANCE = 1e-12;

interface CaseResult {
  case: string;
  engine_ms: number;
  baseline_ms: number;
  ratio: number;
  max_rel_err: number;
  [extra: string]: number | string;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Median wall times of `runs` calls each, after `warmup` unmeasured calls (JIT, buffer growth).
 * Engine and baseline runs alternate so that load from other processes hits both alike.
 */
const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

interface Timing {
  engineMs: number;
  baselineMs: number;
  /** Process CPU time: less sensitive than wall time to other processes on a shared machine. */
  engineCpuMs: number;
  baselineCpuMs: number;
}

/**
 * Median wall (and CPU) times of `runs` calls each, after `warmup` unmeasured calls (JIT,
 * buffer growth). Engine and baseline runs alternate so that load from other processes hits
 * both alike.
 */
function timePair(engine: () => void, baseline: () => void, warmup: number, runs: number): Timing {
  for (let i = 0; i < warmup; i++) {
    engine();
    baseline();
  }
  const engineSamples: number[] = [];
  const baselineSamples: number[] = [];
  const engineCpu: number[] = [];
  const baselineCpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    let cpu = cpuMs();
    let start = performance.now();
    engine();
    engineSamples.push(performance.now() - start);
    engineCpu.push(cpuMs() - cpu);
    cpu = cpuMs();
    start = performance.now();
    baseline();
    baselineSamples.push(performance.now() - start);
    baselineCpu.push(cpuMs() - cpu);
  }
  return {
    engineMs: median(engineSamples),
    baselineMs: median(baselineSamples),
    engineCpuMs: median(engineCpu),
    baselineCpuMs: median(baselineCpu),
  };
}

function cpuRatio(timing: Timing): number {
  return round(timing.engineCpuMs / timing.baselineCpuMs, 2);
}

function relError(engine: number, baseline: number): number {
  if (engine === baseline) return 0;
  return Math.abs(engine - baseline) / Math.max(Math.abs(engine), Math.abs(baseline), 1e-300);
}

function maxRelError(engine: ArrayLike<number>, baseline: ArrayLike<number>): number {
  if (engine.length !== baseline.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < engine.length; i++) {
    const error = relError(engine[i]!, baseline[i]!);
    // NaN must fail the check, and NaN > worst is false.
    if (!(error <= worst)) worst = Number.isNaN(error) ? Infinity : error;
  }
  return worst;
}

/** Deterministic uniform numbers in [-1, 1) (mulberry32), so every run sees the same data. */
function uniforms(count: number, seed: number): Float64Array {
  const out = new Float64Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

function memoryMb(): { heap_used_mb: number; array_buffers_mb: number } {
  const usage = process.memoryUsage();
  return { heap_used_mb: round(usage.heapUsed / 2 ** 20, 1), array_buffers_mb: round(usage.arrayBuffers / 2 ** 20, 1) };
}

function report(result: CaseResult): boolean {
  console.log(JSON.stringify(result));
  return result.max_rel_err <= REL_TOLERANCE;
}

// ---- The design's own floor: a stripped flat tape ----

const STRIPPED_MUL = 1;
const STRIPPED_ADD = 2;
const STRIPPED_TANH = 3;

/**
 * Not the engine: the smallest tape of the design issue #3 prescribes (typed arrays of op codes,
 * parent indices, values and adjoints, creation order = topological order), with none of the
 * engine's range checks, op table, constants, names, stale-handle guards or other ops. Cases 1
 * and 2 also time it, so that each run shows how far the engine is from the design's floor on
 * the machine at hand, apart from how far the design is from the closed-form baseline.
 */
class StrippedTape {
  length = 0;
  readonly ops: Uint8Array;
  readonly parentA: Int32Array;
  readonly parentB: Int32Array;
  readonly values: Float64Array;
  readonly adjoints: Float64Array;

  constructor(capacity: number) {
    this.ops = new Uint8Array(capacity);
    this.parentA = new Int32Array(capacity);
    this.parentB = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
    this.adjoints = new Float64Array(capacity);
  }

  private push(op: number, a: number, b: number, value: number): number {
    const index = this.length++;
    this.ops[index] = op;
    this.parentA[index] = a;
    this.parentB[index] = b;
    this.values[index] = value;
    return index;
  }

  input(value: number): number {
    return this.push(0, -1, -1, value);
  }
  mul(a: number, b: number): number {
    return this.push(STRIPPED_MUL, a, b, this.values[a]! * this.values[b]!);
  }
  add(a: number, b: number): number {
    return this.push(STRIPPED_ADD, a, b, this.values[a]! + this.values[b]!);
  }
  tanh(a: number): number {
    return this.push(STRIPPED_TANH, a, -1, Math.tanh(this.values[a]!));
  }

  backward(output: number): Float64Array {
    const { ops, parentA, parentB, values, adjoints } = this;
    adjoints.fill(0, 0, output + 1);
    adjoints[output] = 1;
    for (let i = output; i >= 0; i--) {
      const g = adjoints[i]!;
      const op = ops[i]!;
      if (g === 0 || op === 0) continue;
      const a = parentA[i]!;
      const b = parentB[i]!;
      if (op === STRIPPED_MUL) {
        adjoints[a]! += g * values[b]!;
        adjoints[b]! += g * values[a]!;
      } else if (op === STRIPPED_ADD) {
        adjoints[a]! += g;
        adjoints[b]! += g;
      } else {
        const t = values[i]!;
        adjoints[a]! += g * (1 - t * t);
      }
    }
    return adjoints;
  }
}

function strippedFigures(stripped: () => void, baseline: () => void, runs: number): Record<string, number> {
  const timing = timePair(stripped, baseline, 2, runs);
  return {
    stripped_tape_ms: round(timing.engineMs),
    stripped_tape_ratio: round(timing.engineMs / timing.baselineMs, 2),
  };
}

// ---- Case 1: residual tanh chain y <- y + tanh(w_i * y), gradient w.r.t. every w_i and y0 ----

function residualTanhChain(): CaseResult {
  // "A chain of 1e6 ops": each step y <- y + tanh(w_i * y) is three tape ops (mul, tanh, add),
  // so 333,334 steps record 1,000,002 ops (plus one input per weight). The baseline does the
  // same 333,334 steps, forward and backward.
  const steps = Math.ceil(1_000_000 / 3);
  const y0 = 0.5;
  // Zero-mean weights of size 1e-3 keep y (a random walk in log y) and every gradient near 1.
  const weights = uniforms(steps, 1).map((u) => 1e-3 * u);
  const tape = new Tape(4 * steps + 16);
  let engineGrads: Float64Array = new Float64Array(0);
  let engineMemory = memoryMb();
  // Parameters are recorded once and kept, as in a training loop; each run rebuilds the chain
  // through the tape's index API (node indices in and out, no objects per node).
  const input = tape.pushInput(y0);
  const weightNodes = Int32Array.from(weights, (w) => tape.pushInput(w));
  tape.keep();

  const engine = (): void => {
    tape.reset();
    let y = input;
    for (let i = 0; i < steps; i++) y = tape.add(y, tape.tanh(tape.mul(weightNodes[i]!, y)));
    // d(y_n)/d(node) for every node; the weights' gradients sit at their node indices.
    engineGrads = tape.backward(y);
    engineMemory = memoryMb();
  };

  const ys = new Float64Array(steps);
  const ts = new Float64Array(steps);
  const baseGradW = new Float64Array(steps);
  let baseGradY0 = 0;
  const baseline = (): void => {
    let y = y0;
    for (let i = 0; i < steps; i++) {
      const t = Math.tanh(weights[i]! * y);
      ys[i] = y;
      ts[i] = t;
      y = y + t;
    }
    let g = 1;
    for (let i = steps - 1; i >= 0; i--) {
      const t = ts[i]!;
      const dPre = g * (1 - t * t);
      baseGradW[i] = dPre * ys[i]!;
      g = g + dPre * weights[i]!;
    }
    baseGradY0 = g;
  };

  const timing = timePair(engine, baseline, 2, 7);
  const { engineMs, baselineMs } = timing;
  const engineGradW = Float64Array.from(weightNodes, (node) => engineGrads[node]!);

  const stripped = new StrippedTape(4 * steps + 16);
  const strippedInput = stripped.input(y0);
  const strippedWeights = Int32Array.from(weights, (w) => stripped.input(w));
  const strippedKept = stripped.length;
  let strippedGrads: Float64Array = new Float64Array(0);
  const strippedRun = (): void => {
    stripped.length = strippedKept;
    let y = strippedInput;
    for (let i = 0; i < steps; i++) y = stripped.add(y, stripped.tanh(stripped.mul(strippedWeights[i]!, y)));
    strippedGrads = stripped.backward(y);
  };
  const reference = strippedFigures(strippedRun, baseline, 7);
  const strippedErr = maxRelError(
    Float64Array.from(strippedWeights, (node) => strippedGrads[node]!),
    baseGradW,
  );
  const maxErr = Math.max(maxRelError(engineGradW, baseGradW), relError(engineGrads[input]!, baseGradY0));
  return {
    case: 'residual-tanh-chain-1e6-ops',
    engine_ms: round(engineMs),
    baseline_ms: round(baselineMs),
    ratio: round(engineMs / baselineMs, 2),
    cpu_ratio: cpuRatio(timing),
    max_rel_err: Math.max(maxErr, strippedErr),
    ...reference,
    steps,
    ops: 3 * steps,
    note: '1e6 ops = 333,334 steps y <- y + tanh(w*y) of 3 tape ops each; the baseline runs the same steps',
    nodes: tape.size,
    ...engineMemory,
  };
}

// ---- Case 2: affine chain y <- a_i * y + b_i, gradient w.r.t. every a_i, b_i and y0 ----

function affineChain(): CaseResult {
  const steps = 500_000;
  const y0 = 0.75;
  const scales = uniforms(steps, 2).map((u) => 1 + 1e-3 * u);
  const shifts = uniforms(steps, 3).map((u) => 1e-3 * u);
  const tape = new Tape(4 * steps + 16);
  const input = tape.pushInput(y0);
  const scaleNodes = Int32Array.from(scales, (a) => tape.pushInput(a));
  const shiftNodes = Int32Array.from(shifts, (b) => tape.pushInput(b));
  tape.keep();
  let engineGrads: Float64Array = new Float64Array(0);
  let engineOutput = 0;

  const engine = (): void => {
    tape.reset();
    let y = input;
    for (let i = 0; i < steps; i++) y = tape.add(tape.mul(scaleNodes[i]!, y), shiftNodes[i]!);
    engineGrads = tape.backward(y);
    engineOutput = tape.valueAt(y);
  };

  const ys = new Float64Array(steps);
  const baseGrads = new Float64Array(2 * steps + 2);
  const baseline = (): void => {
    let y = y0;
    for (let i = 0; i < steps; i++) {
      ys[i] = y;
      y = scales[i]! * y + shifts[i]!;
    }
    let g = 1;
    for (let i = steps - 1; i >= 0; i--) {
      baseGrads[2 * i] = g * ys[i]!;
      baseGrads[2 * i + 1] = g;
      g = g * scales[i]!;
    }
    baseGrads[2 * steps] = g;
    baseGrads[2 * steps + 1] = y;
  };

  const timing = timePair(engine, baseline, 2, 9);
  const { engineMs, baselineMs } = timing;

  const stripped = new StrippedTape(4 * steps + 16);
  const strippedInput = stripped.input(y0);
  const strippedScales = Int32Array.from(scales, (a) => stripped.input(a));
  const strippedShifts = Int32Array.from(shifts, (b) => stripped.input(b));
  const strippedKept = stripped.length;
  let strippedGrads: Float64Array = new Float64Array(0);
  const strippedRun = (): void => {
    stripped.length = strippedKept;
    let y = strippedInput;
    for (let i = 0; i < steps; i++) y = stripped.add(stripped.mul(strippedScales[i]!, y), strippedShifts[i]!);
    strippedGrads = stripped.backward(y);
  };
  const reference = strippedFigures(strippedRun, baseline, 9);
  const strippedResult = new Float64Array(2 * steps);
  for (let i = 0; i < steps; i++) {
    strippedResult[2 * i] = strippedGrads[strippedScales[i]!]!;
    strippedResult[2 * i + 1] = strippedGrads[strippedShifts[i]!]!;
  }
  const strippedErr = maxRelError(strippedResult, baseGrads.subarray(0, 2 * steps));

  const engineResult = new Float64Array(2 * steps + 2);
  for (let i = 0; i < steps; i++) {
    engineResult[2 * i] = engineGrads[scaleNodes[i]!]!;
    engineResult[2 * i + 1] = engineGrads[shiftNodes[i]!]!;
  }
  engineResult[2 * steps] = engineGrads[input]!;
  engineResult[2 * steps + 1] = engineOutput;
  return {
    case: 'affine-chain-1e6-ops',
    engine_ms: round(engineMs),
    baseline_ms: round(baselineMs),
    ratio: round(engineMs / baselineMs, 2),
    cpu_ratio: cpuRatio(timing),
    max_rel_err: Math.max(maxRelError(engineResult, baseGrads), strippedErr),
    ...reference,
    steps,
    mul_add_ops: 2 * steps,
    nodes: tape.size,
  };
}

// ---- Case 3: 2-16-16-1 tanh MLP on 32 points, MSE, gradient w.r.t. all 337 parameters ----

const LAYER_SIZES = [2, 16, 16, 1] as const;
const BATCH = 32;

interface Layer {
  inputs: number;
  outputs: number;
  /** Row-major outputs x inputs, then `outputs` biases. */
  offset: number;
}

function mlpLayout(): { layers: Layer[]; parameterCount: number } {
  const layers: Layer[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < LAYER_SIZES.length; l++) {
    const inputs = LAYER_SIZES[l]!;
    const outputs = LAYER_SIZES[l + 1]!;
    layers.push({ inputs, outputs, offset });
    offset += inputs * outputs + outputs;
  }
  return { layers, parameterCount: offset };
}

function mlp(): CaseResult {
  const { layers, parameterCount } = mlpLayout();
  const parameters = uniforms(parameterCount, 4).map((u) => 0.5 * u);
  const points = uniforms(2 * BATCH, 5);
  const targets = uniforms(BATCH, 6);
  const iterations = 200;
  const tape = new Tape(32_768);
  const parameterNodes = Int32Array.from(parameters, (p) => tape.pushInput(p));
  tape.keep();
  let engineGrads: Float64Array = new Float64Array(0);
  const maxWidthNodes = Math.max(...LAYER_SIZES);
  let activations = new Int32Array(maxWidthNodes);
  let next = new Int32Array(maxWidthNodes);

  const engineStep = (): void => {
    tape.reset();
    let total = -1;
    for (let n = 0; n < BATCH; n++) {
      activations[0] = tape.pushConstant(points[2 * n]!);
      activations[1] = tape.pushConstant(points[2 * n + 1]!);
      for (let l = 0; l < layers.length; l++) {
        const { inputs, outputs, offset } = layers[l]!;
        for (let j = 0; j < outputs; j++) {
          const row = offset + j * inputs;
          let acc = tape.mul(parameterNodes[row]!, activations[0]!);
          for (let k = 1; k < inputs; k++) acc = tape.add(acc, tape.mul(parameterNodes[row + k]!, activations[k]!));
          acc = tape.add(acc, parameterNodes[offset + inputs * outputs + j]!);
          next[j] = l + 1 < layers.length ? tape.tanh(acc) : acc;
        }
        const swap = activations;
        activations = next;
        next = swap;
      }
      const error = tape.sqerr(activations[0]!, tape.pushConstant(targets[n]!));
      total = total < 0 ? error : tape.add(total, error);
    }
    const loss = tape.div(total, tape.pushConstant(BATCH));
    engineGrads = tape.backward(loss);
  };

  // Per point activations (post-tanh for hidden layers) kept for the backward pass.
  const maxWidth = Math.max(...LAYER_SIZES);
  const acts = layers.map(() => new Float64Array(BATCH * maxWidth));
  const inputsOf = (l: number, n: number): Float64Array =>
    l === 0 ? points.subarray(2 * n, 2 * n + 2) : acts[l - 1]!.subarray(n * maxWidth, n * maxWidth + maxWidth);
  const baseGrads = new Float64Array(parameterCount);
  const upstream = new Float64Array(maxWidth);
  const downstream = new Float64Array(maxWidth);

  const baselineStep = (): void => {
    for (let n = 0; n < BATCH; n++) {
      for (let l = 0; l < layers.length; l++) {
        const { inputs, outputs, offset } = layers[l]!;
        const input = inputsOf(l, n);
        const out = acts[l]!;
        for (let j = 0; j < outputs; j++) {
          const row = offset + j * inputs;
          let acc = parameters[row]! * input[0]!;
          for (let k = 1; k < inputs; k++) acc = acc + parameters[row + k]! * input[k]!;
          acc = acc + parameters[offset + inputs * outputs + j]!;
          out[n * maxWidth + j] = l + 1 < layers.length ? Math.tanh(acc) : acc;
        }
      }
    }
    baseGrads.fill(0);
    // The engine's reverse sweep meets the points last-to-first; so does this loop.
    for (let n = BATCH - 1; n >= 0; n--) {
      const prediction = acts[layers.length - 1]![n * maxWidth]!;
      upstream[0] = (1 / BATCH) * (2 * (prediction - targets[n]!));
      for (let l = layers.length - 1; l >= 0; l--) {
        const { inputs, outputs, offset } = layers[l]!;
        const input = inputsOf(l, n);
        const out = acts[l]!;
        downstream.fill(0, 0, inputs);
        for (let j = outputs - 1; j >= 0; j--) {
          let dPre = upstream[j]!;
          if (l + 1 < layers.length) {
            const h = out[n * maxWidth + j]!;
            dPre = dPre * (1 - h * h);
          }
          const row = offset + j * inputs;
          baseGrads[offset + inputs * outputs + j]! += dPre;
          for (let k = inputs - 1; k >= 0; k--) {
            baseGrads[row + k]! += dPre * input[k]!;
            downstream[k]! += dPre * parameters[row + k]!;
          }
        }
        upstream.set(downstream.subarray(0, inputs));
      }
    }
  };

  const repeat = (step: () => void) => (): void => {
    for (let i = 0; i < iterations; i++) step();
  };
  const timing = timePair(repeat(engineStep), repeat(baselineStep), 2, 9);
  const engineParameterGrads = Float64Array.from(parameterNodes, (node) => engineGrads[node]!);
  const engineMs = timing.engineMs / iterations;
  const baselineMs = timing.baselineMs / iterations;
  return {
    case: 'mlp-2-16-16-1-batch32',
    engine_ms: round(engineMs, 4),
    baseline_ms: round(baselineMs, 4),
    ratio: round(engineMs / baselineMs, 2),
    cpu_ratio: cpuRatio(timing),
    max_rel_err: maxRelError(engineParameterGrads, baseGrads),
    nodes: tape.size,
    parameters: parameterCount,
    note: 'ms per forward+backward, median over samples of 200',
  };
}

// ---- Case 4: the lesson neuron x -> w*x + b -> sigmoid -> BCE, 1e6 gradient evaluations ----

function lessonNeuron(): CaseResult {
  const repetitions = 1_000_000;
  const poolSize = 1024;
  const xs = uniforms(poolSize, 7).map((u) => 2 * u);
  const ys = uniforms(poolSize, 8).map((u) => (u > 0 ? 1 : 0));
  const ws = uniforms(poolSize, 9);
  const bs = uniforms(poolSize, 10).map((u) => 0.5 * u);
  const tape = new Tape(64);
  const engineGradW = new Float64Array(repetitions);
  const engineGradB = new Float64Array(repetitions);
  const engineLoss = new Float64Array(repetitions);

  // Replay (the path widgets and compile().run() take): the neuron is recorded once, with w and
  // b as inputs and the data x, y as constants; each repetition sets the four leaves, replays
  // the recorded ops (values and partials recomputed, same op methods) and sweeps backward.
  // Same 8 nodes and ops as a fresh recording: nothing is fused or skipped.
  const replayTape = new Tape(64);
  const replayW = replayTape.pushInput(0);
  const replayB = replayTape.pushInput(0);
  const replayX = replayTape.pushConstant(0);
  const replayZ = replayTape.add(replayTape.mul(replayW, replayX), replayB);
  const replaySigmoid = replayTape.sigmoid(replayZ);
  const replayY = replayTape.pushConstant(0);
  const replayLoss = replayTape.bce(replaySigmoid, replayY);
  const replayGradW = new Float64Array(repetitions);
  const replayGradB = new Float64Array(repetitions);
  const replayLossValues = new Float64Array(repetitions);
  const replayEngine = (): void => {
    for (let i = 0; i < repetitions; i++) {
      const k = i & (poolSize - 1);
      replayTape.setLeafValue(replayW, ws[k]!);
      replayTape.setLeafValue(replayB, bs[k]!);
      replayTape.setLeafValue(replayX, xs[k]!);
      replayTape.setLeafValue(replayY, ys[k]!);
      replayTape.replay();
      const grads = replayTape.backward(replayLoss);
      replayLossValues[i] = replayTape.valueAt(replayLoss);
      replayGradW[i] = grads[replayW]!;
      replayGradB[i] = grads[replayB]!;
    }
  };

  // Index API re-recording: each repetition resets the tape and records w, b, x -> w*x+b ->
  // sigmoid -> BCE afresh.
  const engine = (): void => {
    for (let i = 0; i < repetitions; i++) {
      const k = i & (poolSize - 1);
      tape.reset();
      const w = tape.pushInput(ws[k]!);
      const b = tape.pushInput(bs[k]!);
      const loss = tape.bce(
        tape.sigmoid(tape.add(tape.mul(w, tape.pushConstant(xs[k]!)), b)),
        tape.pushConstant(ys[k]!),
      );
      const grads = tape.backward(loss);
      engineLoss[i] = tape.valueAt(loss);
      engineGradW[i] = grads[w]!;
      engineGradB[i] = grads[b]!;
    }
  };

  // The Value API (what lesson code writes), used as in a training loop: w and b are recorded
  // once and kept; each repetition resets the tape, sets their values and records the rest.
  const valueTape = new Tape(64);
  const valueGradW = new Float64Array(repetitions);
  const valueGradB = new Float64Array(repetitions);
  const valueLoss = new Float64Array(repetitions);
  const wValue = valueTape.variable(0, 'w');
  const bValue = valueTape.variable(0, 'b');
  valueTape.keep();
  const valueEngine = (): void => {
    for (let i = 0; i < repetitions; i++) {
      const k = i & (poolSize - 1);
      valueTape.reset();
      valueTape.setInput(wValue, ws[k]!);
      valueTape.setInput(bValue, bs[k]!);
      const loss = wValue.mul(xs[k]!).add(bValue).sigmoid().bce(ys[k]!);
      const grads = backward(loss);
      valueLoss[i] = loss.value;
      valueGradW[i] = grads.grad(wValue);
      valueGradB[i] = grads.grad(bValue);
    }
  };

  const baseGradW = new Float64Array(repetitions);
  const baseGradB = new Float64Array(repetitions);
  const baseLoss = new Float64Array(repetitions);
  const baseline = (): void => {
    for (let i = 0; i < repetitions; i++) {
      const k = i & (poolSize - 1);
      const x = xs[k]!;
      const y = ys[k]!;
      const z = ws[k]! * x + bs[k]!;
      let a: number;
      if (z >= 0) {
        a = 1 / (1 + Math.exp(-z));
      } else {
        const e = Math.exp(z);
        a = e / (1 + e);
      }
      const p = a < 1e-12 ? 1e-12 : a > 1 - 1e-12 ? 1 - 1e-12 : a;
      baseLoss[i] = -(y * Math.log(p) + (1 - y) * Math.log1p(-p));
      // Closed form: the sigmoid derivative cancels BCE's, dL/dz = a - y.
      const dz = a - y;
      baseGradW[i] = dz * x;
      baseGradB[i] = dz;
    }
  };

  const timing = timePair(replayEngine, baseline, 1, 7);
  const { engineMs, baselineMs } = timing;
  const recordTiming = timePair(engine, baseline, 1, 7);
  const valueTiming = timePair(valueEngine, baseline, 1, 7);
  return {
    case: 'lesson-neuron-bce-1e6',
    engine_path: 'replay: record once, then per repetition setLeafValue x4 + replay() + backward()',
    engine_ms: round(engineMs),
    baseline_ms: round(baselineMs),
    ratio: round(engineMs / baselineMs, 2),
    cpu_ratio: cpuRatio(timing),
    // The engine reaches a - y through the chain rule, so a few ulps of rounding are expected.
    max_rel_err: Math.max(
      maxRelError(replayGradW, baseGradW),
      maxRelError(replayGradB, baseGradB),
      maxRelError(replayLossValues, baseLoss),
      maxRelError(engineGradW, baseGradW),
      maxRelError(engineGradB, baseGradB),
      maxRelError(engineLoss, baseLoss),
      maxRelError(valueGradW, baseGradW),
      maxRelError(valueGradB, baseGradB),
      maxRelError(valueLoss, baseLoss),
    ),
    record_ms: round(recordTiming.engineMs),
    record_ratio: round(recordTiming.engineMs / recordTiming.baselineMs, 2),
    record_cpu_ratio: cpuRatio(recordTiming),
    value_api_ms: round(valueTiming.engineMs),
    value_api_ratio: round(valueTiming.engineMs / valueTiming.baselineMs, 2),
    value_api_cpu_ratio: cpuRatio(valueTiming),
    repetitions,
    nodes_per_repetition: replayTape.size,
    record_nodes_per_repetition: tape.size,
    value_api_nodes_per_repetition: valueTape.size,
  };
}

// `npm run bench:autodiff -- affine mlp` runs only the cases whose function name contains an argument.
const filters = process.argv.slice(2);
let allAccurate = true;
for (const run of [residualTanhChain, affineChain, mlp, lessonNeuron]) {
  if (filters.length > 0 && !filters.some((filter) => run.name.toLowerCase().includes(filter.toLowerCase()))) continue;
  allAccurate = report(run()) && allAccurate;
}
if (!allAccurate) {
  console.error(`engine gradients differ from the closed-form baseline by more than ${REL_TOLERANCE}`);
  process.exitCode = 1;
}
