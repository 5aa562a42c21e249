import { AutodiffError } from './errors';
import {
  OP_CONSTANT as IMPORTED_OP_CONSTANT,
  OP_INPUT as IMPORTED_OP_INPUT,
  OPS_BY_CODE,
  op,
  type OpDefinition,
} from './ops';

// Module-local copies: some loaders (tsx, bundlers emitting CommonJS) turn an imported binding
// into a getter call on every read, which cost ~4x on the hot recording path.
const OP_CONSTANT = IMPORTED_OP_CONSTANT;
const OP_INPUT = IMPORTED_OP_INPUT;

const ADD = op('add');
const SUB = op('sub');
const MUL = op('mul');
const DIV = op('div');
const NEG = op('neg');
const POW = op('pow');
const EXP = op('exp');
const LOG = op('log');
const SQRT = op('sqrt');
const ABS = op('abs');
const SIGMOID = op('sigmoid');
const TANH = op('tanh');
const RELU = op('relu');
const MAX = op('max');
const MIN = op('min');
const SIN = op('sin');
const COS = op('cos');
const SQERR = op('sqerr');
const BCE = op('bce');
const BCE_LOGITS = op('bce_logits');
// Plain numbers, so switch cases and stores compare against constants.
const ADD_CODE = ADD.code;
const SUB_CODE = SUB.code;
const MUL_CODE = MUL.code;
const DIV_CODE = DIV.code;
const NEG_CODE = NEG.code;
const POW_CODE = POW.code;
const EXP_CODE = EXP.code;
const LOG_CODE = LOG.code;
const SQRT_CODE = SQRT.code;
const ABS_CODE = ABS.code;
const SIGMOID_CODE = SIGMOID.code;
const TANH_CODE = TANH.code;
const RELU_CODE = RELU.code;
const MAX_CODE = MAX.code;
const MIN_CODE = MIN.code;
const SIN_CODE = SIN.code;
const COS_CODE = COS.code;
const SQERR_CODE = SQERR.code;
const BCE_CODE = BCE.code;
const BCE_LOGITS_CODE = BCE_LOGITS.code;

/**
 * Opcode flag: this node's local partials are stored in `partialA`/`partialB`. Nodes of the
 * cheap ops below store no partials at all; the reverse sweep, forward mode and traces derive
 * them from the stored values through the same op-table functions that recording would have
 * called (bit-identical: same function, same arguments). Such a node gets the flag, and stored
 * partials, only when an operand is a constant (its partial must be recorded as 0).
 * Op codes stay below the flag (see ops.ts), so `opcode & OPCODE_MASK` is the op's code.
 */
const STORED_PARTIALS = 0x40;
/**
 * add's and sub's partials are constants: the table declares them as functions of no
 * argument (`() => 1`), so they are evaluated once here rather than per node.
 */
function constantPartial(partial: (a: number, b: number, out: number) => number): number {
  if (partial.length !== 0) throw new Error('expected a constant partial (a function of no arguments)');
  return partial(0, 0, 0);
}
const ADD_DA = constantPartial(ADD.da);
const ADD_DB = constantPartial(ADD.db);
const SUB_DA = constantPartial(SUB.da);
const SUB_DB = constantPartial(SUB.db);
const OPCODE_MASK = 0x3f;
/** 1 for op codes whose partials are derived from values rather than stored. */
const DERIVED_PARTIALS = new Uint8Array(256);
for (const code of [ADD_CODE, SUB_CODE, MUL_CODE, NEG_CODE, EXP_CODE, SIGMOID_CODE, TANH_CODE, RELU_CODE]) {
  DERIVED_PARTIALS[code] = 1;
}
for (const definition of OPS_BY_CODE) {
  if (definition !== undefined && definition.code >= STORED_PARTIALS) throw new Error('op codes must stay below 64');
}

/**
 * A flat Wengert list. Node i lives at index i of parallel typed arrays, and a node can only
 * reference nodes that already exist, so creation order is a topological order: backward is a
 * single descending loop and forward mode a single ascending loop, with no recursion, no
 * visited-set and no per-node objects. This is what keeps a 1e6-op chain within a small
 * factor of hand-written gradient code and immune to stack overflow.
 *
 * Local partials are computed once, from the op table, when a node is recorded, and stored per
 * edge (`partialA`, `partialB`). Both derivative modes and the drawn trace read them.
 */
export class Tape {
  // Every field gets its final type in its initializer: with ES2022 class fields a bare
  // declaration first stores `undefined`, which makes V8 type the field as "anything" and
  // more than doubled the cost of recording a node.
  private capacity = 0;
  private length = 0;
  private opcodes = new Uint8Array(0);
  private parentA = new Int32Array(0);
  private parentB = new Int32Array(0);
  private values = new Float64Array(0);
  private partialA = new Float64Array(0);
  private partialB = new Float64Array(0);
  /** Allocated and grown with the node arrays, so a sweep never allocates. */
  private adjoints: Float64Array = new Float64Array(0);
  /** The last view handed out by backward(index). */
  private adjointView: Float64Array = new Float64Array(0);
  private adjointViewOf: Float64Array = new Float64Array(0);
  private tangents: Float64Array = new Float64Array(0);
  /**
   * The last recorded node and its value. In a chain each op reads the node recorded just
   * before it; taking that value from here (a register once V8 inlines the recording calls)
   * instead of a load from `values` right after the store removes a store-to-load round trip
   * from every op's latency (recording the affine chain: ~3.0 -> ~2.0 ms). -1 when unknown.
   */
  private lastIndex = -1;
  private lastValue = 0;
  /** Scratch outputs of loadPartials(), so reading a node's partials allocates nothing. */
  private scratchDa = 0;
  private scratchDb = 0;
  private readonly names = new Map<number, string[]>();
  /** Largest named node index, or -1: lets reset() skip the names when only kept nodes have any. */
  private highestNamed = -1;
  /**
   * Bumped by reset() and clear(): Values carry the epoch they were made in, so a Value that
   * outlived a reset is rejected instead of silently pointing at whatever node now sits at its
   * index. Kept segments (see keep()) stay valid across resets.
   */
  private epoch = 0;
  private readonly keptSegments: { end: number; epoch: number }[] = [];
  private keptRegionHasOps = false;
  private keptLength = 0;
  private lastKeptStart = 0;
  private lastKeptEpoch = -1;
  /**
   * Bumped by every derivative pass and by reset(): a Gradients view from an earlier pass
   * refuses to answer rather than returning numbers overwritten by a later pass.
   */
  private derivativeVersion = 0;

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, Math.ceil(initialCapacity));
    this.opcodes = new Uint8Array(this.capacity);
    this.parentA = new Int32Array(this.capacity);
    this.parentB = new Int32Array(this.capacity);
    this.values = new Float64Array(this.capacity);
    this.partialA = new Float64Array(this.capacity);
    this.partialB = new Float64Array(this.capacity);
    this.adjoints = new Float64Array(this.capacity);
  }

  /** Number of recorded nodes. */
  get size(): number {
    return this.length;
  }

  /** Nodes that survive reset() (see keep()). */
  get keptSize(): number {
    return this.keptLength;
  }

  /** Changes on every reset() and clear(). */
  get currentEpoch(): number {
    return this.epoch;
  }

  /**
   * Forget every node recorded since the last keep() (all nodes if keep() was never called)
   * but keep the buffers, so a loop that rebuilds a graph many times (a widget on every slider
   * move, a training step) allocates nothing after warm-up. Values from the forgotten nodes
   * and every earlier Gradients view become unusable.
   */
  reset(): void {
    const kept = this.keptSize;
    // O(1) unless nodes above the kept region were named (names of kept parameters stay).
    if (this.highestNamed >= kept) this.dropNamesFrom(kept);
    this.length = kept;
    this.lastIndex = -1;
    this.epoch++;
    this.derivativeVersion++;
  }

  /** Kept out of reset() so that reset() stays small enough for V8 to inline into a loop. */
  private dropNamesFrom(start: number): void {
    for (const index of [...this.names.keys()]) if (index >= start) this.names.delete(index);
    this.highestNamed = -1;
    for (const index of this.names.keys()) if (index > this.highestNamed) this.highestNamed = index;
  }

  /** Forget everything, including kept nodes. */
  clear(): void {
    this.keptSegments.length = 0;
    this.keptRegionHasOps = false;
    this.keptLength = 0;
    this.lastKeptStart = 0;
    this.lastKeptEpoch = -1;
    this.names.clear();
    this.highestNamed = -1;
    this.length = 0;
    this.lastIndex = -1;
    this.epoch++;
    this.derivativeVersion++;
  }

  /**
   * Make every node recorded so far survive reset(): record parameters once, keep(), then
   * rebuild only the per-step graph. Besides saving work this matters for speed: a million
   * parameter Values re-created per step are a million objects for the garbage collector.
   */
  keep(): void {
    const previousEnd = this.keptLength;
    if (this.length === previousEnd) return;
    for (let i = previousEnd; i < this.length; i++) {
      if (this.opcodes[i] !== OP_INPUT) this.keptRegionHasOps = true;
    }
    this.keptSegments.push({ end: this.length, epoch: this.epoch });
    this.lastKeptStart = previousEnd;
    this.lastKeptEpoch = this.epoch;
    this.keptLength = this.length;
  }

  /**
   * Changes the value of an input node. Only allowed for kept inputs with nothing recorded after
   * the kept region, so no recorded node can hold a value computed from the old one.
   */
  setInput(input: Value, value: number): void {
    const index = this.indexOf(input);
    const kept = this.keptLength;
    if (this.opcodes[index] !== OP_INPUT || index >= kept || this.length > kept || this.keptRegionHasOps) {
      throw new AutodiffError(
        'stale',
        'setInput needs a kept input and no other recorded nodes: call it right after reset(), on a tape whose kept region holds only inputs',
      );
    }
    this.values[index] = value;
    if (index === this.lastIndex) this.lastValue = value;
  }

  /**
   * Changes the value of a leaf (an input or a constant) in place, leaving every node recorded
   * after it as it is: call replay() next to recompute them. This is the "same graph, new
   * numbers" path of a widget on every slider move or a training loop over data points: record
   * once, then setLeafValue() + replay() + backward() per step. Earlier Gradients become stale.
   */
  setLeafValue(node: Value | number, value: number): void {
    const index = typeof node === 'number' ? node : this.indexOf(node);
    if (!(index >= 0 && index < this.length)) this.checkIndex(index);
    const opcode = this.opcodes[index]!;
    if (opcode !== OP_INPUT && opcode !== OP_CONSTANT) {
      throw new AutodiffError(
        'invalid-option',
        `node ${index} is an op, not an input or constant; only leaves can be set (then call replay())`,
      );
    }
    this.values[index] = value;
    if (index === this.lastIndex) this.lastValue = value;
    this.derivativeVersion++;
  }

  /**
   * Re-runs the recorded graph on the current leaf values: recomputes the value (and, where
   * stored, the local partials) of every op node from `from` (default 0) to the end, in
   * creation order, without recording anything. Each node is re-evaluated by the same op
   * method that recorded it, so a replayed tape is bit-identical to one recorded afresh with
   * the same leaf values, including ops that branch on their inputs (max, min, relu, abs,
   * bce's clamp, the stable sigmoid). Node indices, Values and names stay valid; earlier
   * Gradients become stale. Pass `from` to skip a prefix whose inputs did not change (e.g.
   * keptSize when only leaves after the kept region were set).
   */
  replay(from = 0): void {
    const end = this.length;
    const opcodes = this.opcodes;
    const parentA = this.parentA;
    const parentB = this.parentB;
    const values = this.values;
    const partialA = this.partialA;
    const partialB = this.partialB;
    this.lastIndex = -1;
    this.derivativeVersion++;
    for (let i = from > 0 ? from : 0; i < end; i++) {
      const opcode = opcodes[i]!;
      // Cheap ops without constant operands store no partials: only the value is recomputed,
      // by the op table's value function, as recording does.
      switch (opcode) {
        case OP_INPUT:
        case OP_CONSTANT:
          continue;
        case MUL_CODE:
          values[i] = MUL.value(values[parentA[i]!]!, values[parentB[i]!]!);
          continue;
        case ADD_CODE:
          values[i] = ADD.value(values[parentA[i]!]!, values[parentB[i]!]!);
          continue;
        case SUB_CODE:
          values[i] = SUB.value(values[parentA[i]!]!, values[parentB[i]!]!);
          continue;
        case TANH_CODE:
          values[i] = TANH.value(values[parentA[i]!]!, 0);
          continue;
        case SIGMOID_CODE:
          values[i] = SIGMOID.value(values[parentA[i]!]!, 0);
          continue;
        case EXP_CODE:
          values[i] = EXP.value(values[parentA[i]!]!, 0);
          continue;
        case NEG_CODE:
          values[i] = NEG.value(values[parentA[i]!]!, 0);
          continue;
        case RELU_CODE:
          values[i] = RELU.value(values[parentA[i]!]!, 0);
          continue;
        // The lesson's ops with stored partials, inline as in their recording methods.
        case MUL_CODE | STORED_PARTIALS: {
          const a = parentA[i]!;
          const b = parentB[i]!;
          const x = values[a]!;
          const y = values[b]!;
          const out = MUL.value(x, y);
          values[i] = out;
          partialA[i] = opcodes[a] === OP_CONSTANT ? 0 : MUL.da(x, y, out);
          partialB[i] = opcodes[b] === OP_CONSTANT ? 0 : MUL.db(x, y, out);
          continue;
        }
        case BCE_CODE: {
          const a = parentA[i]!;
          const b = parentB[i]!;
          const x = values[a]!;
          const y = values[b]!;
          const out = BCE.value(x, y);
          values[i] = out;
          partialA[i] = opcodes[a] === OP_CONSTANT ? 0 : BCE.da(x, y, out);
          partialB[i] = opcodes[b] === OP_CONSTANT ? 0 : BCE.db(x, y, out);
          continue;
        }
        case BCE_LOGITS_CODE: {
          const a = parentA[i]!;
          const b = parentB[i]!;
          const x = values[a]!;
          const y = values[b]!;
          const out = BCE_LOGITS.value(x, y);
          values[i] = out;
          partialA[i] = opcodes[a] === OP_CONSTANT ? 0 : BCE_LOGITS.da(x, y, out);
          partialB[i] = opcodes[b] === OP_CONSTANT ? 0 : BCE_LOGITS.db(x, y, out);
          continue;
        }
        case SQERR_CODE: {
          const a = parentA[i]!;
          const b = parentB[i]!;
          const x = values[a]!;
          const y = values[b]!;
          const out = SQERR.value(x, y);
          values[i] = out;
          partialA[i] = opcodes[a] === OP_CONSTANT ? 0 : SQERR.da(x, y, out);
          partialB[i] = opcodes[b] === OP_CONSTANT ? 0 : SQERR.db(x, y, out);
          continue;
        }
      }
      // Nodes with stored partials: re-recorded in place by the op's own method, which writes
      // node `length`. Operands are earlier nodes, so its range check passes.
      this.length = i;
      const b = parentB[i]!;
      if (b < 0) this.recordUnaryCode(opcode & OPCODE_MASK, parentA[i]!);
      else this.recordBinaryCode(opcode & OPCODE_MASK, parentA[i]!, b);
      this.length = end;
    }
    this.lastIndex = -1;
  }

  variable(value: number, name?: string): Value {
    return new Value(this, this.pushInput(value, name), this.epoch);
  }

  constant(value: number): Value {
    return new Value(this, this.pushConstant(value), this.epoch);
  }

  /** Attaches a display name to an existing node (a node may carry several). */
  nameNode(index: number, name: string): void {
    if (index > this.highestNamed) this.highestNamed = index;
    const existing = this.names.get(index);
    if (existing === undefined) this.names.set(index, [name]);
    else if (!existing.includes(name)) existing.push(name);
  }

  // ---- Index-level recording, used by Value and by the compiled-program runner ----

  pushInput(value: number, name?: string): number {
    const index = this.pushLeaf(OP_INPUT, value);
    if (name !== undefined) this.nameNode(index, name);
    return index;
  }

  pushConstant(value: number): number {
    return this.pushLeaf(OP_CONSTANT, value);
  }

  /**
   * Records a unary op given by its table entry. Dispatches to the op's own method, so each
   * op's table functions are called from one monomorphic call site.
   */
  pushUnary(definition: OpDefinition, a: number): number {
    return this.recordUnaryCode(definition.code, a);
  }

  private recordUnaryCode(code: number, a: number): number {
    switch (code) {
      case NEG_CODE:
        return this.neg(a);
      case EXP_CODE:
        return this.exp(a);
      case LOG_CODE:
        return this.log(a);
      case SQRT_CODE:
        return this.sqrt(a);
      case ABS_CODE:
        return this.abs(a);
      case SIGMOID_CODE:
        return this.sigmoid(a);
      case TANH_CODE:
        return this.tanh(a);
      case RELU_CODE:
        return this.relu(a);
      case SIN_CODE:
        return this.sin(a);
      case COS_CODE:
        return this.cos(a);
      default:
        return this.recordUnary(OPS_BY_CODE[code]!, a);
    }
  }

  /**
   * Records a binary op given by its table entry (see pushUnary). Partials toward constant
   * nodes are recorded as 0: a literal cannot vary, and evaluating e.g. d(a^b)/db = a^b ln a for
   * `x^2` at negative x would otherwise put NaN on the edge from the literal 2 in every drawn
   * graph of a squared error.
   */
  pushBinary(definition: OpDefinition, a: number, b: number): number {
    return this.recordBinaryCode(definition.code, a, b);
  }

  private recordBinaryCode(code: number, a: number, b: number): number {
    switch (code) {
      case ADD_CODE:
        return this.add(a, b);
      case SUB_CODE:
        return this.sub(a, b);
      case MUL_CODE:
        return this.mul(a, b);
      case DIV_CODE:
        return this.div(a, b);
      case POW_CODE:
        return this.pow(a, b);
      case MAX_CODE:
        return this.max(a, b);
      case MIN_CODE:
        return this.min(a, b);
      case SQERR_CODE:
        return this.sqerr(a, b);
      case BCE_CODE:
        return this.bce(a, b);
      case BCE_LOGITS_CODE:
        return this.bceWithLogits(a, b);
      default:
        return this.recordBinary(OPS_BY_CODE[code]!, a, b);
    }
  }

  // ---- Index API: one method per op, node indices in and out, no objects allocated ----
  //
  // Each method reads its operands' values, calls its own op's table functions at its own call
  // site (V8 inlines them; through one shared helper they were megamorphic and recording cost
  // twice as much) and stores value and local partials. Operands must be indices this tape
  // returned since the last reset() (or kept ones); they are range-checked, but an index from
  // before a reset() cannot be told apart from the node that now sits there. Use Value for
  // that protection.

  add(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = ADD.value(x, y);
    const constantA = opcodes[a] === OP_CONSTANT;
    const constantB = opcodes[b] === OP_CONSTANT;
    if (!(constantA || constantB)) return this.putDerived(ADD_CODE, a, b, out);
    const da = constantA ? 0 : ADD.da(x, y, out);
    const db = constantB ? 0 : ADD.db(x, y, out);
    return this.put2(ADD_CODE | STORED_PARTIALS, a, b, out, da, db);
  }

  sub(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = SUB.value(x, y);
    const constantA = opcodes[a] === OP_CONSTANT;
    const constantB = opcodes[b] === OP_CONSTANT;
    if (!(constantA || constantB)) return this.putDerived(SUB_CODE, a, b, out);
    const da = constantA ? 0 : SUB.da(x, y, out);
    const db = constantB ? 0 : SUB.db(x, y, out);
    return this.put2(SUB_CODE | STORED_PARTIALS, a, b, out, da, db);
  }

  mul(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = MUL.value(x, y);
    const constantA = opcodes[a] === OP_CONSTANT;
    const constantB = opcodes[b] === OP_CONSTANT;
    if (!(constantA || constantB)) return this.putDerived(MUL_CODE, a, b, out);
    const da = constantA ? 0 : MUL.da(x, y, out);
    const db = constantB ? 0 : MUL.db(x, y, out);
    return this.put2(MUL_CODE | STORED_PARTIALS, a, b, out, da, db);
  }

  div(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = DIV.value(x, y);
    const da = opcodes[a] === OP_CONSTANT ? 0 : DIV.da(x, y, out);
    const db = opcodes[b] === OP_CONSTANT ? 0 : DIV.db(x, y, out);
    return this.put2(DIV_CODE, a, b, out, da, db);
  }

  pow(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = POW.value(x, y);
    const da = opcodes[a] === OP_CONSTANT ? 0 : POW.da(x, y, out);
    const db = opcodes[b] === OP_CONSTANT ? 0 : POW.db(x, y, out);
    return this.put2(POW_CODE, a, b, out, da, db);
  }

  max(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = MAX.value(x, y);
    const da = opcodes[a] === OP_CONSTANT ? 0 : MAX.da(x, y, out);
    const db = opcodes[b] === OP_CONSTANT ? 0 : MAX.db(x, y, out);
    return this.put2(MAX_CODE, a, b, out, da, db);
  }

  min(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = MIN.value(x, y);
    const da = opcodes[a] === OP_CONSTANT ? 0 : MIN.da(x, y, out);
    const db = opcodes[b] === OP_CONSTANT ? 0 : MIN.db(x, y, out);
    return this.put2(MIN_CODE, a, b, out, da, db);
  }

  /** (a - b)^2 */
  sqerr(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = SQERR.value(x, y);
    const da = opcodes[a] === OP_CONSTANT ? 0 : SQERR.da(x, y, out);
    const db = opcodes[b] === OP_CONSTANT ? 0 : SQERR.db(x, y, out);
    return this.put2(SQERR_CODE, a, b, out, da, db);
  }

  /** Binary cross-entropy of probability `a` against target `b`, clamped (see ops.ts). */
  bce(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = BCE.value(x, y);
    const da = opcodes[a] === OP_CONSTANT ? 0 : BCE.da(x, y, out);
    const db = opcodes[b] === OP_CONSTANT ? 0 : BCE.db(x, y, out);
    return this.put2(BCE_CODE, a, b, out, da, db);
  }

  /** Binary cross-entropy of sigmoid(a) against target `b`, computed from the logit. */
  bceWithLogits(a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = BCE_LOGITS.value(x, y);
    const da = opcodes[a] === OP_CONSTANT ? 0 : BCE_LOGITS.da(x, y, out);
    const db = opcodes[b] === OP_CONSTANT ? 0 : BCE_LOGITS.db(x, y, out);
    return this.put2(BCE_LOGITS_CODE, a, b, out, da, db);
  }

  neg(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = NEG.value(x, 0);
    if (this.opcodes[a] !== OP_CONSTANT) return this.putDerived(NEG_CODE, a, -1, out);
    return this.put1(NEG_CODE | STORED_PARTIALS, a, out, 0);
  }

  exp(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = EXP.value(x, 0);
    if (this.opcodes[a] !== OP_CONSTANT) return this.putDerived(EXP_CODE, a, -1, out);
    return this.put1(EXP_CODE | STORED_PARTIALS, a, out, 0);
  }

  log(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = LOG.value(x, 0);
    return this.put1(LOG_CODE, a, out, this.opcodes[a] === OP_CONSTANT ? 0 : LOG.da(x, 0, out));
  }

  sqrt(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = SQRT.value(x, 0);
    return this.put1(SQRT_CODE, a, out, this.opcodes[a] === OP_CONSTANT ? 0 : SQRT.da(x, 0, out));
  }

  abs(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = ABS.value(x, 0);
    return this.put1(ABS_CODE, a, out, this.opcodes[a] === OP_CONSTANT ? 0 : ABS.da(x, 0, out));
  }

  sigmoid(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = SIGMOID.value(x, 0);
    if (this.opcodes[a] !== OP_CONSTANT) return this.putDerived(SIGMOID_CODE, a, -1, out);
    return this.put1(SIGMOID_CODE | STORED_PARTIALS, a, out, 0);
  }

  tanh(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = TANH.value(x, 0);
    if (this.opcodes[a] !== OP_CONSTANT) return this.putDerived(TANH_CODE, a, -1, out);
    return this.put1(TANH_CODE | STORED_PARTIALS, a, out, 0);
  }

  relu(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = RELU.value(x, 0);
    if (this.opcodes[a] !== OP_CONSTANT) return this.putDerived(RELU_CODE, a, -1, out);
    return this.put1(RELU_CODE | STORED_PARTIALS, a, out, 0);
  }

  sin(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = SIN.value(x, 0);
    return this.put1(SIN_CODE, a, out, this.opcodes[a] === OP_CONSTANT ? 0 : SIN.da(x, 0, out));
  }

  cos(a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = COS.value(x, 0);
    return this.put1(COS_CODE, a, out, this.opcodes[a] === OP_CONSTANT ? 0 : COS.da(x, 0, out));
  }

  /**
   * One reverse sweep from node `output`: element i of the result is d(output)/d(node i). The
   * result is a view of the tape's adjoint buffer, overwritten by the next derivative pass and
   * invalid after reset(); copy it to keep it. The Value-level backward() guards against that.
   */
  backward(output: number): Float64Array {
    this.reverseSweep(output);
    // A loop that rebuilds a same-sized graph gets the same view back instead of a new object.
    let view = this.adjointView;
    if (view.length !== output + 1 || this.adjointViewOf !== this.adjoints) {
      view = this.adjoints.subarray(0, output + 1);
      this.adjointView = view;
      this.adjointViewOf = this.adjoints;
    }
    return view;
  }

  /** Stores a node whose value and partials the caller computed. The capacity check is the only branch. */
  private put2(code: number, a: number, b: number, out: number, da: number, db: number): number {
    const index = this.length;
    if (index === this.capacity) this.grow();
    this.opcodes[index] = code;
    this.parentA[index] = a;
    this.parentB[index] = b;
    this.values[index] = out;
    this.partialA[index] = da;
    this.partialB[index] = db;
    this.length = index + 1;
    this.lastIndex = index;
    this.lastValue = out;
    return index;
  }

  /** Stores a node of a DERIVED_PARTIALS op with no constant operand: no partials to store. */
  private putDerived(code: number, a: number, b: number, out: number): number {
    const index = this.length;
    if (index === this.capacity) this.grow();
    this.opcodes[index] = code;
    this.parentA[index] = a;
    this.parentB[index] = b;
    this.values[index] = out;
    this.length = index + 1;
    this.lastIndex = index;
    this.lastValue = out;
    return index;
  }

  /** Value of operand `a` (already range-checked), from the register copy when it is the last node. */
  private operand(a: number): number {
    return a === this.lastIndex ? this.lastValue : this.values[a]!;
  }

  private put1(code: number, a: number, out: number, da: number): number {
    const index = this.length;
    if (index === this.capacity) this.grow();
    this.opcodes[index] = code;
    this.parentA[index] = a;
    this.parentB[index] = -1;
    this.values[index] = out;
    this.partialA[index] = da;
    this.partialB[index] = 0;
    this.length = index + 1;
    this.lastIndex = index;
    this.lastValue = out;
    return index;
  }

  /** Generic recording for an op without its own method (megamorphic, so slower). */
  private recordUnary(definition: OpDefinition, a: number): number {
    const length = this.length;
    if (!(a >= 0 && a < length)) throw badOperand(a, 0, length);
    const x = this.operand(a);
    const out = definition.value(x, 0);
    return this.put1(definition.code, a, out, this.opcodes[a] === OP_CONSTANT ? 0 : definition.da(x, 0, out));
  }

  private recordBinary(definition: OpDefinition, a: number, b: number): number {
    const length = this.length;
    if (!(a < length && b < length && (a | b) >= 0)) throw badOperand(a, b, length);
    const opcodes = this.opcodes;
    const x = this.operand(a);
    const y = this.operand(b);
    const out = definition.value(x, y);
    const da = opcodes[a] === OP_CONSTANT ? 0 : definition.da(x, y, out);
    const db = opcodes[b] === OP_CONSTANT ? 0 : definition.db(x, y, out);
    return this.put2(definition.code, a, b, out, da, db);
  }

  // ---- Read access for traces and program results ----

  opcodeAt(index: number): number {
    this.checkIndex(index);
    return this.opcodes[index]! & OPCODE_MASK;
  }

  valueAt(index: number): number {
    this.checkIndex(index);
    return this.values[index]!;
  }

  /** Parent indices; -1 where the node has no such parent. */
  parentsAt(index: number): [number, number] {
    this.checkIndex(index);
    return [this.parentA[index]!, this.parentB[index]!];
  }

  partialsAt(index: number): [number, number] {
    this.checkIndex(index);
    this.loadPartials(index);
    return [this.scratchDa, this.scratchDb];
  }

  /**
   * Sets scratchDa/scratchDb to node i's local partials: stored ones, or for a DERIVED_PARTIALS
   * node the op table's da/db of its operand values and output, exactly as recording computes
   * them (a unary op gets b = 0, as when recorded). Leaves have none (0, 0).
   */
  private loadPartials(i: number): void {
    const opcode = this.opcodes[i]!;
    const a = this.parentA[i]!;
    if (a < 0) {
      this.scratchDa = 0;
      this.scratchDb = 0;
    } else if (DERIVED_PARTIALS[opcode] === 1) {
      const definition = OPS_BY_CODE[opcode]!;
      const values = this.values;
      const b = this.parentB[i]!;
      const x = values[a]!;
      const y = b >= 0 ? values[b]! : 0;
      const out = values[i]!;
      this.scratchDa = definition.da(x, y, out);
      this.scratchDb = b >= 0 ? definition.db(x, y, out) : 0;
    } else {
      this.scratchDa = this.partialA[i]!;
      this.scratchDb = this.partialB[i]!;
    }
  }

  /**
   * The node arrays (views valid until the next record or reset; opcodes and partials are
   * fresh copies, since cheap ops store no partials), for code that walks the whole tape, such
   * as trace(), without a method call per field.
   */
  nodeArrays(): {
    readonly opcodes: Uint8Array;
    readonly parentA: Int32Array;
    readonly parentB: Int32Array;
    readonly values: Float64Array;
    readonly partialA: Float64Array;
    readonly partialB: Float64Array;
  } {
    const length = this.length;
    // Op codes without the STORED_PARTIALS flag, and every node's partials (derived ones
    // computed here): copies, built in one pass.
    const opcodes = new Uint8Array(length);
    const partialA = new Float64Array(length);
    const partialB = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      opcodes[i] = this.opcodes[i]! & OPCODE_MASK;
      this.loadPartials(i);
      partialA[i] = this.scratchDa;
      partialB[i] = this.scratchDb;
    }
    return {
      opcodes,
      parentA: this.parentA.subarray(0, length),
      parentB: this.parentB.subarray(0, length),
      values: this.values.subarray(0, length),
      partialA,
      partialB,
    };
  }

  namesAt(index: number): readonly string[] {
    return this.names.get(index) ?? [];
  }

  namedNodes(): ReadonlyMap<number, readonly string[]> {
    return this.names;
  }

  // ---- Derivative passes (index level) ----

  /**
   * One reverse sweep from `output`; returns a version stamp for adjointAt(). The adjoint buffer
   * is zeroed here on every call, so gradients never accumulate across calls.
   *
   * A product with an exact 0 factor contributes exactly 0: a zero adjoint or a zero local
   * partial ends that path. This stops 0 * Infinity = NaN (relu(log(x)) at x = 0, log(relu(x))
   * at x < 0) from poisoning gradients that are truly 0. Forward mode applies the same rule to
   * its tangents, so both modes agree even there.
   */
  reverseSweep(output: number): number {
    if (!(output >= 0 && output < this.length)) this.checkIndex(output);
    const adjoints = this.adjoints;
    // fill() is a builtin call whose fixed cost dominates on small graphs; a loop there.
    if (output < 64) for (let i = 0; i < output; i++) adjoints[i] = 0;
    else adjoints.fill(0, 0, output);
    adjoints[output] = 1;
    // Nodes below `floor` are inputs and constants: they receive adjoints but pass none on, so
    // the loop can stop there. With parameters kept (keep()) that is half of a chain's nodes.
    const kept = this.keptLength;
    const floor = this.keptRegionHasOps ? 0 : kept < output ? kept : output;
    // `carry` is node i's contribution to node i - 1, its usual parent in a chain. Keeping it in a
    // register instead of a store to adjoints[i - 1] and a load one iteration later removes a
    // store-to-load round trip from the loop's critical path. It is added last, as the store
    // would have been (node i is i - 1's lowest consumer), so the sums are bit-identical.
    const carry = sweepRange(
      output,
      floor,
      adjoints,
      this.opcodes,
      this.parentA,
      this.parentB,
      this.values,
      this.partialA,
      this.partialB,
    );
    if (carry !== 0) adjoints[floor - 1]! += carry;
    return ++this.derivativeVersion;
  }

  adjointAt(index: number, version: number): number {
    if (version !== this.derivativeVersion) {
      throw new AutodiffError(
        'stale',
        'these gradients are stale: backward ran again on this tape, or it was reset, since they were computed; use the newer result',
      );
    }
    if (!(index >= 0 && index < this.length)) this.checkIndex(index);
    return this.adjoints[index]!;
  }

  /**
   * d(output)/d(seed) by one ascending tangent pass. Nodes before the seed cannot depend on it
   * (creation order is topological), so the pass starts at the seed.
   */
  tangentPass(seed: number, output: number): number {
    this.checkIndex(seed);
    this.checkIndex(output);
    if (seed > output) return 0;
    if (this.tangents.length < this.capacity) this.tangents = new Float64Array(this.capacity);
    const tangents = this.tangents;
    const parentA = this.parentA;
    const parentB = this.parentB;
    tangents.fill(0, seed, output + 1);
    tangents[seed] = 1;
    for (let i = seed + 1; i <= output; i++) {
      let t = 0;
      const a = parentA[i]!;
      const b = parentB[i]!;
      const ta = a >= seed ? tangents[a]! : 0;
      const tb = b >= seed ? tangents[b]! : 0;
      if (ta !== 0 || tb !== 0) {
        this.loadPartials(i);
        const da = this.scratchDa;
        const db = this.scratchDb;
        if (ta !== 0 && da !== 0) t = da * ta;
        if (tb !== 0 && db !== 0) t += db * tb;
      }
      tangents[i] = t;
    }
    return tangents[output]!;
  }

  /** Indices of all input nodes up to and including `output`, in creation order. */
  inputsUpTo(output: number): number[] {
    const inputs: number[] = [];
    for (let i = 0; i <= output && i < this.length; i++) {
      if (this.opcodes[i] === OP_INPUT) inputs.push(i);
    }
    return inputs;
  }

  // ---- Value-level guards ----

  /** Resolves a Value (or a number, recorded as a constant) to a node index on this tape. */
  indexOf(operand: Value | number): number {
    if (typeof operand === 'number') return this.pushConstant(operand);
    if (operand.tape !== this) {
      throw new AutodiffError(
        'foreign-value',
        'cannot combine Values from different tapes; create all Values of one computation on the same Tape',
      );
    }
    if (operand.epoch !== this.epoch && !this.isKept(operand)) {
      throw new AutodiffError('stale', 'this Value was created before tape.reset() and no longer exists');
    }
    return operand.index;
  }

  /** indexOf for an operand known to be a Value (the receiver of a Value method). */
  own(operand: Value): number {
    const index = operand.index;
    if (operand.tape === this) {
      const epoch = operand.epoch;
      if (epoch === this.epoch) return index;
      if (epoch === this.lastKeptEpoch && index < this.keptLength && index >= this.lastKeptStart) return index;
    }
    return this.indexOf(operand);
  }

  wrap(index: number): Value {
    this.checkIndex(index);
    return new Value(this, index, this.epochOfNode(index));
  }

  /**
   * False for constant nodes. Value methods skip computing partials toward constants (they are
   * recorded as 0, see pushBinary), which also saves e.g. two logarithms per `bce(a, 1)`.
   */
  varies(index: number): boolean {
    return this.opcodes[index] !== OP_CONSTANT;
  }

  /** Stores a node whose value and partials a Value method computed from the op table. */
  record1(definition: OpDefinition, a: number, out: number, da: number): Value {
    return new Value(this, this.put1(definition.code, a, out, da), this.epoch);
  }

  record2(definition: OpDefinition, a: number, b: number, out: number, da: number, db: number): Value {
    return new Value(this, this.put2(definition.code, a, b, out, da, db), this.epoch);
  }

  /** Value of a node already resolved by indexOf (no bounds re-check on the hot path). */
  valueOfIndex(index: number): number {
    return this.values[index]!;
  }

  private isKept(operand: Value): boolean {
    const index = operand.index;
    // Fast path for the usual single keep(): parameters recorded once, then many steps.
    if (index < this.keptLength && index >= this.lastKeptStart) return operand.epoch === this.lastKeptEpoch;
    let start = 0;
    for (const segment of this.keptSegments) {
      if (index < segment.end) return index >= start && operand.epoch === segment.epoch;
      start = segment.end;
    }
    return false;
  }

  private epochOfNode(index: number): number {
    for (const segment of this.keptSegments) if (index < segment.end) return segment.epoch;
    return this.epoch;
  }

  private pushLeaf(opcode: number, value: number): number {
    if (this.length === this.capacity) this.grow();
    const index = this.length;
    this.opcodes[index] = opcode;
    this.parentA[index] = -1;
    this.parentB[index] = -1;
    this.values[index] = value;
    this.length = index + 1;
    this.lastIndex = index;
    this.lastValue = value;
    return index;
  }

  private checkIndex(index: number): void {
    if (!(index >= 0 && index < this.length)) {
      throw new AutodiffError('stale', `node ${index} does not exist on this tape (size ${this.length})`);
    }
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.opcodes = growInto(new Uint8Array(capacity), this.opcodes);
    this.parentA = growInto(new Int32Array(capacity), this.parentA);
    this.parentB = growInto(new Int32Array(capacity), this.parentB);
    this.values = growInto(new Float64Array(capacity), this.values);
    this.partialA = growInto(new Float64Array(capacity), this.partialA);
    this.partialB = growInto(new Float64Array(capacity), this.partialB);
    this.adjoints = growInto(new Float64Array(capacity), this.adjoints);
    this.capacity = capacity;
  }
}

/**
 * The reverse sweep's loop over nodes output..floor (see Tape.reverseSweep); returns the carry
 * still owed to node floor - 1. A function of its own so that V8 compiles it as a whole, with
 * feedback for every statement, rather than only as on-stack replacement of a long loop whose
 * exit had never run: that code deoptimized at the loop exit on every call and left the first
 * iterations of each call to the interpreter, which boxes every double.
 */
function sweepRange(
  output: number,
  floor: number,
  adjoints: Float64Array,
  opcodes: Uint8Array,
  parentA: Int32Array,
  parentB: Int32Array,
  values: Float64Array,
  partialA: Float64Array,
  partialB: Float64Array,
): number {
  let carry = 0;
  for (let i = output; i >= floor; i--) {
    // When no other consumer wrote to node i (the usual case in a chain), 0 + carry is carry:
    // skipping that addition takes it off the loop-carried dependency chain. Adjoints are
    // never -0, so storing +0 for a zero g matches the former `adjoints[i] = 0 + carry`.
    const own = adjoints[i]!;
    const g = own === 0 ? carry : own + carry;
    carry = 0;
    if (g === 0) {
      adjoints[i] = 0;
      continue;
    }
    adjoints[i] = g;
    const a = parentA[i]!;
    if (a < 0) continue;
    const b = parentB[i]!;
    let da = 0;
    let db = 0;
    // Cheap ops store no partials: they come from the op table here, from the same values
    // recording passed it (see STORED_PARTIALS). Common ops first.
    switch (opcodes[i]) {
      case MUL_CODE: {
        const x = values[a]!;
        const y = values[b]!;
        const out = values[i]!;
        da = MUL.da(x, y, out);
        db = MUL.db(x, y, out);
        break;
      }
      case ADD_CODE:
        da = ADD_DA;
        db = ADD_DB;
        break;
      case TANH_CODE:
        da = TANH.da(values[a]!, 0, values[i]!);
        break;
      case SIGMOID_CODE:
        da = SIGMOID.da(values[a]!, 0, values[i]!);
        break;
      case SUB_CODE:
        da = SUB_DA;
        db = SUB_DB;
        break;
      case EXP_CODE:
        da = EXP.da(values[a]!, 0, values[i]!);
        break;
      case NEG_CODE:
        da = NEG.da(values[a]!, 0, values[i]!);
        break;
      case RELU_CODE:
        da = RELU.da(values[a]!, 0, values[i]!);
        break;
      default:
        da = partialA[i]!;
        if (b >= 0) db = partialB[i]!;
    }
    if (da !== 0) {
      if (a === i - 1 && b !== a) carry = g * da;
      else adjoints[a]! += g * da;
    }
    if (db !== 0) {
      if (b === i - 1 && b !== a) carry = g * db;
      else adjoints[b]! += g * db;
    }
  }
  return carry;
}

function badOperand(a: number, b: number, length: number): AutodiffError {
  const bad = a >= 0 && a < length ? b : a;
  return new AutodiffError('stale', `node ${bad} does not exist on this tape (size ${length})`);
}

function growInto<T extends Uint8Array | Int32Array | Float64Array>(target: T, source: T): T {
  target.set(source);
  return target;
}

/**
 * A handle to one node of a Tape. Methods record a new node and return its handle; a plain
 * number operand is recorded as a constant node.
 *
 * Each method calls its op's table functions at its own call site on purpose: a shared
 * "record any op" helper makes those calls megamorphic, which V8 cannot inline, and that alone
 * doubled the recording cost of a mixed mul/add/tanh graph.
 */
export class Value {
  constructor(
    readonly tape: Tape,
    readonly index: number,
    readonly epoch: number,
  ) {}

  get value(): number {
    const tape = this.tape;
    // own() rejects foreign and stale Values, so the index is known to exist.
    return tape.valueOfIndex(tape.own(this));
  }

  /** Labels this node in traces and in Gradients.byName(); returns the same Value. */
  named(name: string): Value {
    this.tape.nameNode(this.tape.indexOf(this), name);
    return this;
  }

  add(other: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof other === 'number' ? tape.pushConstant(other) : tape.own(other);
    return new Value(tape, tape.add(a, b), tape.currentEpoch);
  }
  sub(other: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof other === 'number' ? tape.pushConstant(other) : tape.own(other);
    return new Value(tape, tape.sub(a, b), tape.currentEpoch);
  }
  mul(other: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof other === 'number' ? tape.pushConstant(other) : tape.own(other);
    return new Value(tape, tape.mul(a, b), tape.currentEpoch);
  }
  div(other: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof other === 'number' ? tape.pushConstant(other) : tape.own(other);
    return new Value(tape, tape.div(a, b), tape.currentEpoch);
  }
  pow(exponent: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof exponent === 'number' ? tape.pushConstant(exponent) : tape.own(exponent);
    return new Value(tape, tape.pow(a, b), tape.currentEpoch);
  }
  max(other: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof other === 'number' ? tape.pushConstant(other) : tape.own(other);
    return new Value(tape, tape.max(a, b), tape.currentEpoch);
  }
  min(other: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof other === 'number' ? tape.pushConstant(other) : tape.own(other);
    return new Value(tape, tape.min(a, b), tape.currentEpoch);
  }
  /** (this - target)^2 */
  sqerr(target: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof target === 'number' ? tape.pushConstant(target) : tape.own(target);
    return new Value(tape, tape.sqerr(a, b), tape.currentEpoch);
  }
  /** Binary cross-entropy of this probability against `target`, clamped (see ops.ts). */
  bce(target: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof target === 'number' ? tape.pushConstant(target) : tape.own(target);
    return new Value(tape, tape.bce(a, b), tape.currentEpoch);
  }
  /** Binary cross-entropy of sigmoid(this) against `target`, computed from the logit. */
  bceWithLogits(target: Value | number): Value {
    const tape = this.tape;
    const a = tape.own(this);
    const b = typeof target === 'number' ? tape.pushConstant(target) : tape.own(target);
    return new Value(tape, tape.bceWithLogits(a, b), tape.currentEpoch);
  }
  neg(): Value {
    const tape = this.tape;
    return new Value(tape, tape.neg(tape.own(this)), tape.currentEpoch);
  }
  exp(): Value {
    const tape = this.tape;
    return new Value(tape, tape.exp(tape.own(this)), tape.currentEpoch);
  }
  log(): Value {
    const tape = this.tape;
    return new Value(tape, tape.log(tape.own(this)), tape.currentEpoch);
  }
  sqrt(): Value {
    const tape = this.tape;
    return new Value(tape, tape.sqrt(tape.own(this)), tape.currentEpoch);
  }
  abs(): Value {
    const tape = this.tape;
    return new Value(tape, tape.abs(tape.own(this)), tape.currentEpoch);
  }
  sigmoid(): Value {
    const tape = this.tape;
    return new Value(tape, tape.sigmoid(tape.own(this)), tape.currentEpoch);
  }
  tanh(): Value {
    const tape = this.tape;
    return new Value(tape, tape.tanh(tape.own(this)), tape.currentEpoch);
  }
  relu(): Value {
    const tape = this.tape;
    return new Value(tape, tape.relu(tape.own(this)), tape.currentEpoch);
  }
  sin(): Value {
    const tape = this.tape;
    return new Value(tape, tape.sin(tape.own(this)), tape.currentEpoch);
  }
  cos(): Value {
    const tape = this.tape;
    return new Value(tape, tape.cos(tape.own(this)), tape.currentEpoch);
  }
}

/** Derivatives of one output, from either mode. */
export interface Gradients {
  readonly mode: 'reverse' | 'forward';
  /** Sweeps over the tape that produced these numbers: 1 in reverse mode, one per input in forward mode. */
  readonly passes: number;
  /** d(output)/d(v). */
  grad(v: Value): number;
  /** Gradients keyed by node name (names from variable(value, name) and Value.named). */
  byName(): Record<string, number>;
}

function staleGradients(): AutodiffError {
  return new AutodiffError(
    'stale',
    'these gradients are stale: the tape was reset since they were computed; use a newer result',
  );
}

class ReverseGradients implements Gradients {
  readonly mode = 'reverse' as const;
  readonly passes = 1;

  constructor(
    private readonly tape: Tape,
    private readonly output: number,
    private readonly version: number,
  ) {}

  grad(v: Value): number {
    const index = this.tape.own(v);
    // Nodes recorded after the output cannot influence it.
    return index > this.output ? 0 : this.tape.adjointAt(index, this.version);
  }

  byName(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [index, names] of this.tape.namedNodes()) {
      if (index > this.output) continue;
      const gradient = this.tape.adjointAt(index, this.version);
      for (const name of names) setRecord(result, name, gradient);
    }
    return result;
  }
}

class ForwardGradients implements Gradients {
  readonly mode = 'forward' as const;

  constructor(
    private readonly tape: Tape,
    private readonly epoch: number,
    private readonly bySeed: ReadonlyMap<number, number>,
    private readonly namesBySeed: ReadonlyMap<number, readonly string[]>,
  ) {}

  get passes(): number {
    return this.bySeed.size;
  }

  grad(v: Value): number {
    const index = this.tape.indexOf(v);
    // A reset may have put a different node at a seeded index.
    if (this.tape.currentEpoch !== this.epoch && index >= this.tape.keptSize) throw staleGradients();
    const derivative = this.bySeed.get(index);
    if (derivative === undefined) {
      throw new AutodiffError(
        'not-seeded',
        'forward mode only knows derivatives with respect to the Values it was seeded with; pass this Value in `wrt`',
      );
    }
    return derivative;
  }

  byName(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [index, derivative] of this.bySeed) {
      for (const name of this.namesBySeed.get(index) ?? []) setRecord(result, name, derivative);
    }
    return result;
  }
}

/**
 * Reverse mode: one sweep gives d(out)/d(every node). Returns a fresh view; any earlier view
 * from the same tape becomes stale (it throws instead of returning overwritten numbers).
 */
export function backward(out: Value): Gradients {
  const tape = out.tape;
  const output = tape.own(out);
  const version = tape.reverseSweep(output);
  return new ReverseGradients(tape, output, version);
}

/**
 * Forward mode: one tangent pass per Value in `wrt` (default: every input node the output could
 * depend on). The result owns its numbers, so it never goes stale.
 */
export function forwardGradients(out: Value, wrt?: readonly Value[]): Gradients {
  const tape = out.tape;
  const output = tape.indexOf(out);
  const seeds = wrt === undefined ? tape.inputsUpTo(output) : wrt.map((v) => tape.indexOf(v));
  const bySeed = new Map<number, number>();
  const namesBySeed = new Map<number, readonly string[]>();
  for (const seed of seeds) {
    if (bySeed.has(seed)) continue;
    bySeed.set(seed, tape.tangentPass(seed, output));
    namesBySeed.set(seed, [...tape.namesAt(seed)]);
  }
  return new ForwardGradients(tape, tape.currentEpoch, bySeed, namesBySeed);
}

export function setRecord(record: Record<string, number>, key: string, value: number): void {
  // A plain assignment to '__proto__' would change the prototype instead of adding a key.
  if (key === '__proto__') {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    record[key] = value;
  }
}

export function isOpNode(opcode: number): boolean {
  return OPS_BY_CODE[opcode] !== undefined;
}
