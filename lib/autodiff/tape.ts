import { AutodiffError } from './errors'
import { OP_CONSTANT, OP_INPUT, OPS_BY_CODE, op, type OpDefinition } from './ops'

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
  private capacity: number
  private length = 0
  private opcodes: Uint8Array
  private parentA: Int32Array
  private parentB: Int32Array
  private values: Float64Array
  private partialA: Float64Array
  private partialB: Float64Array
  private adjoints: Float64Array = new Float64Array(0)
  private tangents: Float64Array = new Float64Array(0)
  private readonly names = new Map<number, string[]>()
  /**
   * Bumped by reset(): Values carry the epoch they were made in, so a Value that outlived a
   * reset is rejected instead of silently pointing at whatever node now sits at its index.
   */
  private epoch = 0
  /**
   * Bumped by every derivative pass and by reset(): a Gradients view from an earlier pass
   * refuses to answer rather than returning numbers overwritten by a later pass.
   */
  private derivativeVersion = 0

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, Math.ceil(initialCapacity))
    this.opcodes = new Uint8Array(this.capacity)
    this.parentA = new Int32Array(this.capacity)
    this.parentB = new Int32Array(this.capacity)
    this.values = new Float64Array(this.capacity)
    this.partialA = new Float64Array(this.capacity)
    this.partialB = new Float64Array(this.capacity)
  }

  /** Number of recorded nodes. */
  get size(): number {
    return this.length
  }

  /**
   * Forget every node but keep the buffers, so a loop that rebuilds a small graph many times
   * (a widget on every slider move, a training step) allocates nothing after warm-up.
   * Values and Gradients from before the reset become unusable.
   */
  reset(): void {
    this.length = 0
    this.names.clear()
    this.epoch++
    this.derivativeVersion++
  }

  variable(value: number, name?: string): Value {
    return new Value(this, this.pushInput(value, name), this.epoch)
  }

  constant(value: number): Value {
    return new Value(this, this.pushConstant(value), this.epoch)
  }

  /** Attaches a display name to an existing node (a node may carry several). */
  nameNode(index: number, name: string): void {
    const existing = this.names.get(index)
    if (existing === undefined) this.names.set(index, [name])
    else if (!existing.includes(name)) existing.push(name)
  }

  // ---- Index-level recording, used by Value and by the compiled-program runner ----

  pushInput(value: number, name?: string): number {
    const index = this.pushLeaf(OP_INPUT, value)
    if (name !== undefined) this.nameNode(index, name)
    return index
  }

  pushConstant(value: number): number {
    return this.pushLeaf(OP_CONSTANT, value)
  }

  pushUnary(definition: OpDefinition, a: number): number {
    if (this.length === this.capacity) this.grow()
    const index = this.length
    const x = this.values[a]!
    const out = definition.value(x, 0)
    this.opcodes[index] = definition.code
    this.parentA[index] = a
    this.parentB[index] = -1
    this.values[index] = out
    this.partialA[index] = this.opcodes[a] === OP_CONSTANT ? 0 : definition.da(x, 0, out)
    this.partialB[index] = 0
    this.length = index + 1
    return index
  }

  /**
   * Partials toward constant nodes are recorded as 0: a literal cannot vary, and evaluating
   * e.g. d(a^b)/db = a^b ln a for `x^2` at negative x would otherwise put NaN on the edge from
   * the literal 2 in every drawn graph of a squared error.
   */
  pushBinary(definition: OpDefinition, a: number, b: number): number {
    if (this.length === this.capacity) this.grow()
    const index = this.length
    const opcodes = this.opcodes
    const x = this.values[a]!
    const y = this.values[b]!
    const out = definition.value(x, y)
    opcodes[index] = definition.code
    this.parentA[index] = a
    this.parentB[index] = b
    this.values[index] = out
    this.partialA[index] = opcodes[a] === OP_CONSTANT ? 0 : definition.da(x, y, out)
    this.partialB[index] = opcodes[b] === OP_CONSTANT ? 0 : definition.db(x, y, out)
    this.length = index + 1
    return index
  }

  // ---- Read access for traces and program results ----

  opcodeAt(index: number): number {
    this.checkIndex(index)
    return this.opcodes[index]!
  }

  valueAt(index: number): number {
    this.checkIndex(index)
    return this.values[index]!
  }

  /** Parent indices; -1 where the node has no such parent. */
  parentsAt(index: number): [number, number] {
    this.checkIndex(index)
    return [this.parentA[index]!, this.parentB[index]!]
  }

  partialsAt(index: number): [number, number] {
    this.checkIndex(index)
    return [this.partialA[index]!, this.partialB[index]!]
  }

  namesAt(index: number): readonly string[] {
    return this.names.get(index) ?? []
  }

  namedNodes(): ReadonlyMap<number, readonly string[]> {
    return this.names
  }

  // ---- Derivative passes (index level) ----

  /**
   * One reverse sweep from `output`; returns a version stamp for adjointAt(). The adjoint buffer
   * is zeroed here on every call, so gradients never accumulate across calls.
   *
   * A node whose adjoint is exactly 0 is skipped: it contributes nothing, and skipping it stops
   * 0 * Infinity = NaN (e.g. relu(log(x)) at x = 0) from poisoning gradients that are truly 0.
   * Forward mode applies the same rule to zero tangents, so both modes agree.
   */
  reverseSweep(output: number): number {
    this.checkIndex(output)
    if (this.adjoints.length < this.capacity) this.adjoints = new Float64Array(this.capacity)
    const adjoints = this.adjoints
    const parentA = this.parentA
    const parentB = this.parentB
    const partialA = this.partialA
    const partialB = this.partialB
    adjoints.fill(0, 0, output + 1)
    adjoints[output] = 1
    for (let i = output; i >= 0; i--) {
      const g = adjoints[i]!
      if (g === 0) continue
      const a = parentA[i]!
      if (a < 0) continue
      adjoints[a]! += g * partialA[i]!
      const b = parentB[i]!
      if (b >= 0) adjoints[b]! += g * partialB[i]!
    }
    return ++this.derivativeVersion
  }

  adjointAt(index: number, version: number): number {
    if (version !== this.derivativeVersion) {
      throw new AutodiffError(
        'stale',
        'these gradients are stale: backward/forward ran again or the tape was reset since they were computed; use the newer result',
      )
    }
    this.checkIndex(index)
    return this.adjoints[index]!
  }

  /**
   * d(output)/d(seed) by one ascending tangent pass. Nodes before the seed cannot depend on it
   * (creation order is topological), so the pass starts at the seed.
   */
  tangentPass(seed: number, output: number): number {
    this.checkIndex(seed)
    this.checkIndex(output)
    if (seed > output) return 0
    if (this.tangents.length < this.capacity) this.tangents = new Float64Array(this.capacity)
    const tangents = this.tangents
    const parentA = this.parentA
    const parentB = this.parentB
    const partialA = this.partialA
    const partialB = this.partialB
    tangents.fill(0, seed, output + 1)
    tangents[seed] = 1
    for (let i = seed + 1; i <= output; i++) {
      const a = parentA[i]!
      if (a < seed) {
        // Covers leaves (a = -1) and nodes whose first parent predates the seed.
        const b = parentB[i]!
        tangents[i] = b >= seed && tangents[b] !== 0 ? partialB[i]! * tangents[b]! : 0
        continue
      }
      const ta = tangents[a]!
      let t = ta !== 0 ? partialA[i]! * ta : 0
      const b = parentB[i]!
      if (b >= seed) {
        const tb = tangents[b]!
        if (tb !== 0) t += partialB[i]! * tb
      }
      tangents[i] = t
    }
    return tangents[output]!
  }

  /** Indices of all input nodes up to and including `output`, in creation order. */
  inputsUpTo(output: number): number[] {
    const inputs: number[] = []
    for (let i = 0; i <= output && i < this.length; i++) {
      if (this.opcodes[i] === OP_INPUT) inputs.push(i)
    }
    return inputs
  }

  // ---- Value-level guards ----

  /** Resolves a Value (or a number, recorded as a constant) to a node index on this tape. */
  indexOf(operand: Value | number): number {
    if (typeof operand === 'number') return this.pushConstant(operand)
    if (operand.tape !== this) {
      throw new AutodiffError(
        'foreign-value',
        'cannot combine Values from different tapes; create all Values of one computation on the same Tape',
      )
    }
    if (operand.epoch !== this.epoch) {
      throw new AutodiffError('stale', 'this Value was created before tape.reset() and no longer exists')
    }
    return operand.index
  }

  wrap(index: number): Value {
    return new Value(this, index, this.epoch)
  }

  private pushLeaf(opcode: number, value: number): number {
    if (this.length === this.capacity) this.grow()
    const index = this.length
    this.opcodes[index] = opcode
    this.parentA[index] = -1
    this.parentB[index] = -1
    this.values[index] = value
    this.partialA[index] = 0
    this.partialB[index] = 0
    this.length = index + 1
    return index
  }

  private checkIndex(index: number): void {
    if (!(index >= 0 && index < this.length)) {
      throw new AutodiffError('stale', `node ${index} does not exist on this tape (size ${this.length})`)
    }
  }

  private grow(): void {
    const capacity = this.capacity * 2
    this.opcodes = growInto(new Uint8Array(capacity), this.opcodes)
    this.parentA = growInto(new Int32Array(capacity), this.parentA)
    this.parentB = growInto(new Int32Array(capacity), this.parentB)
    this.values = growInto(new Float64Array(capacity), this.values)
    this.partialA = growInto(new Float64Array(capacity), this.partialA)
    this.partialB = growInto(new Float64Array(capacity), this.partialB)
    this.capacity = capacity
  }
}

function growInto<T extends Uint8Array | Int32Array | Float64Array>(target: T, source: T): T {
  target.set(source)
  return target
}

const ADD = op('add')
const SUB = op('sub')
const MUL = op('mul')
const DIV = op('div')
const NEG = op('neg')
const POW = op('pow')
const EXP = op('exp')
const LOG = op('log')
const SQRT = op('sqrt')
const ABS = op('abs')
const SIGMOID = op('sigmoid')
const TANH = op('tanh')
const RELU = op('relu')
const MAX = op('max')
const MIN = op('min')
const SIN = op('sin')
const COS = op('cos')
const SQERR = op('sqerr')
const BCE = op('bce')
const BCE_LOGITS = op('bce_logits')

/**
 * A handle to one node of a Tape. Methods record a new node and return its handle; a plain
 * number operand is recorded as a constant node.
 */
export class Value {
  constructor(
    readonly tape: Tape,
    readonly index: number,
    readonly epoch: number,
  ) {}

  get value(): number {
    return this.tape.valueAt(this.tape.indexOf(this))
  }

  /** Labels this node in traces and in Gradients.byName(); returns the same Value. */
  named(name: string): Value {
    this.tape.nameNode(this.tape.indexOf(this), name)
    return this
  }

  add(other: Value | number): Value {
    return this.binary(ADD, other)
  }
  sub(other: Value | number): Value {
    return this.binary(SUB, other)
  }
  mul(other: Value | number): Value {
    return this.binary(MUL, other)
  }
  div(other: Value | number): Value {
    return this.binary(DIV, other)
  }
  pow(exponent: Value | number): Value {
    return this.binary(POW, exponent)
  }
  max(other: Value | number): Value {
    return this.binary(MAX, other)
  }
  min(other: Value | number): Value {
    return this.binary(MIN, other)
  }
  /** (this - target)^2 */
  sqerr(target: Value | number): Value {
    return this.binary(SQERR, target)
  }
  /** Binary cross-entropy of this probability against `target`, clamped (see ops.ts). */
  bce(target: Value | number): Value {
    return this.binary(BCE, target)
  }
  /** Binary cross-entropy of sigmoid(this) against `target`, computed from the logit. */
  bceWithLogits(target: Value | number): Value {
    return this.binary(BCE_LOGITS, target)
  }
  neg(): Value {
    return this.unary(NEG)
  }
  exp(): Value {
    return this.unary(EXP)
  }
  log(): Value {
    return this.unary(LOG)
  }
  sqrt(): Value {
    return this.unary(SQRT)
  }
  abs(): Value {
    return this.unary(ABS)
  }
  sigmoid(): Value {
    return this.unary(SIGMOID)
  }
  tanh(): Value {
    return this.unary(TANH)
  }
  relu(): Value {
    return this.unary(RELU)
  }
  sin(): Value {
    return this.unary(SIN)
  }
  cos(): Value {
    return this.unary(COS)
  }

  private unary(definition: OpDefinition): Value {
    const tape = this.tape
    return new Value(tape, tape.pushUnary(definition, tape.indexOf(this)), this.epoch)
  }

  private binary(definition: OpDefinition, other: Value | number): Value {
    const tape = this.tape
    const a = tape.indexOf(this)
    const b = tape.indexOf(other)
    return new Value(tape, tape.pushBinary(definition, a, b), this.epoch)
  }
}

/** Derivatives of one output, from either mode. */
export interface Gradients {
  readonly mode: 'reverse' | 'forward'
  /** Sweeps over the tape that produced these numbers: 1 in reverse mode, one per input in forward mode. */
  readonly passes: number
  /** d(output)/d(v). */
  grad(v: Value): number
  /** Gradients keyed by node name (names from variable(value, name) and Value.named). */
  byName(): Record<string, number>
}

class ReverseGradients implements Gradients {
  readonly mode = 'reverse' as const
  readonly passes = 1

  constructor(
    private readonly tape: Tape,
    private readonly epoch: number,
    private readonly output: number,
    private readonly version: number,
  ) {}

  grad(v: Value): number {
    const index = this.resolve(v)
    // Nodes recorded after the output cannot influence it.
    return index > this.output ? 0 : this.tape.adjointAt(index, this.version)
  }

  byName(): Record<string, number> {
    const result: Record<string, number> = {}
    for (const [index, names] of this.tape.namedNodes()) {
      if (index > this.output) continue
      const gradient = this.tape.adjointAt(index, this.version)
      for (const name of names) setRecord(result, name, gradient)
    }
    return result
  }

  private resolve(v: Value): number {
    if (v.epoch !== this.epoch) {
      throw new AutodiffError('stale', 'this Value belongs to a different tape epoch than these gradients')
    }
    return this.tape.indexOf(v)
  }
}

class ForwardGradients implements Gradients {
  readonly mode = 'forward' as const

  constructor(
    private readonly tape: Tape,
    private readonly epoch: number,
    private readonly bySeed: ReadonlyMap<number, number>,
  ) {}

  get passes(): number {
    return this.bySeed.size
  }

  grad(v: Value): number {
    if (v.epoch !== this.epoch) {
      throw new AutodiffError('stale', 'this Value belongs to a different tape epoch than these gradients')
    }
    const derivative = this.bySeed.get(this.tape.indexOf(v))
    if (derivative === undefined) {
      throw new AutodiffError(
        'not-seeded',
        'forward mode only knows derivatives with respect to the Values it was seeded with; pass this Value in `wrt`',
      )
    }
    return derivative
  }

  byName(): Record<string, number> {
    const result: Record<string, number> = {}
    for (const [index, derivative] of this.bySeed) {
      for (const name of this.tape.namesAt(index)) setRecord(result, name, derivative)
    }
    return result
  }
}

/**
 * Reverse mode: one sweep gives d(out)/d(every node). Returns a fresh view; any earlier view
 * from the same tape becomes stale (it throws instead of returning overwritten numbers).
 */
export function backward(out: Value): Gradients {
  const tape = out.tape
  const output = tape.indexOf(out)
  const version = tape.reverseSweep(output)
  return new ReverseGradients(tape, out.epoch, output, version)
}

/**
 * Forward mode: one tangent pass per Value in `wrt` (default: every input node the output could
 * depend on). The result owns its numbers, so it never goes stale.
 */
export function forwardGradients(out: Value, wrt?: readonly Value[]): Gradients {
  const tape = out.tape
  const output = tape.indexOf(out)
  const seeds = wrt === undefined ? tape.inputsUpTo(output) : wrt.map((v) => tape.indexOf(v))
  const bySeed = new Map<number, number>()
  for (const seed of seeds) {
    if (!bySeed.has(seed)) bySeed.set(seed, tape.tangentPass(seed, output))
  }
  return new ForwardGradients(tape, out.epoch, bySeed)
}

export function setRecord(record: Record<string, number>, key: string, value: number): void {
  // A plain assignment to '__proto__' would change the prototype instead of adding a key.
  if (key === '__proto__') {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    record[key] = value
  }
}

export function isOpNode(opcode: number): boolean {
  return OPS_BY_CODE[opcode] !== undefined
}
