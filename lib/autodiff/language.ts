/**
 * The lesson expression language: a hand-written tokenizer and a precedence-climbing parser
 * that compiles straight to a flat instruction list (one instruction = one tape node).
 * Nothing is ever evaluated as JavaScript.
 *
 *   program    := sep* statement (sep+ statement)* sep*
 *   statement  := NAME '=' expression | expression        (a bare expression only last)
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/') unary)*
 *   unary      := '-' unary | '+' unary | power
 *   power      := primary ('^' unary)?                    (right-associative: 2^3^2 = 2^9)
 *   primary    := NUMBER | NAME | NAME '(' args ')' | '(' expression ')'
 *   sep        := ';' | newline outside parentheses
 *
 * `^` binds tighter than unary minus, so -x^2 = -(x^2), while 2^-x is allowed. `#` starts a
 * comment. Left-associative chains are parsed by loops, and every construct that recurses
 * counts towards `maxDepth`, so no input can overflow the JavaScript stack.
 */
import { AutodiffError } from './errors';
import { CALLABLE_OPS, op, type OpDefinition } from './ops';

export interface LanguageLimits {
  /** Characters of source; checked before tokenizing. */
  maxSourceLength: number;
  /** Nesting of parentheses, calls, unary operators and exponents. */
  maxDepth: number;
  /** Graph nodes (instructions) a program may create. */
  maxNodes: number;
}

export const DEFAULT_LIMITS: Readonly<LanguageLimits> = {
  maxSourceLength: 10_000,
  maxDepth: 200,
  maxNodes: 10_000,
};

export interface SourcePosition {
  line: number;
  column: number;
}

export type Instruction =
  | ({ kind: 'input'; name: string } & SourcePosition)
  | ({ kind: 'constant'; value: number } & SourcePosition)
  | ({ kind: 'op'; definition: OpDefinition; args: readonly number[] } & SourcePosition);

export interface Binding extends SourcePosition {
  name: string;
  register: number;
}

export interface ParsedProgram {
  /** Instruction i creates tape node i, so registers are node ids. */
  instructions: Instruction[];
  /** Free variables in order of first use, with the register of their input node. */
  variables: { name: string; register: number }[];
  /** Every `name = ...` statement in order; a re-bound name appears once per statement. */
  bindings: Binding[];
  output: number;
}

type TokenType = 'number' | 'name' | 'operator' | 'lparen' | 'rparen' | 'comma' | 'assign' | 'separator' | 'end';

interface Token extends SourcePosition {
  type: TokenType;
  text: string;
  value: number;
}

const RESERVED_NAMES = new Set(['__proto__']);

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isNamePart(c: string): boolean {
  return isNameStart(c) || isDigit(c);
}

function syntaxError(detail: string, at: SourcePosition): AutodiffError {
  return new AutodiffError('syntax', detail, at.line, at.column);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let line = 1;
  let column = 1;
  let parenDepth = 0;
  const length = source.length;

  const push = (type: TokenType, text: string, at: SourcePosition, value = 0): void => {
    tokens.push({ type, text, value, line: at.line, column: at.column });
  };

  while (index < length) {
    const c = source[index]!;
    const at = { line, column };
    if (c === ' ' || c === '\t' || c === '\r') {
      index++;
      column++;
    } else if (c === '#') {
      while (index < length && source[index] !== '\n') {
        index++;
        column++;
      }
    } else if (c === '\n') {
      // Inside parentheses a newline is only layout, so long calls can wrap.
      if (parenDepth === 0) push('separator', '\n', at);
      index++;
      line++;
      column = 1;
    } else if (c === ';') {
      push('separator', ';', at);
      index++;
      column++;
    } else if (isDigit(c) || (c === '.' && isDigit(source[index + 1] ?? ''))) {
      const start = index;
      while (index < length && isDigit(source[index]!)) index++;
      if (source[index] === '.') {
        index++;
        while (index < length && isDigit(source[index]!)) index++;
      }
      let malformed = false;
      if (source[index] === 'e' || source[index] === 'E') {
        let exponentEnd = index + 1;
        if (source[exponentEnd] === '+' || source[exponentEnd] === '-') exponentEnd++;
        if (isDigit(source[exponentEnd] ?? '')) {
          index = exponentEnd;
          while (index < length && isDigit(source[index]!)) index++;
        } else {
          malformed = true;
        }
      }
      const numberEnd = index;
      while (index < length && (isNamePart(source[index]!) || source[index] === '.')) {
        malformed = true;
        index++;
      }
      const text = source.slice(start, index);
      if (malformed) {
        const juxtaposed = /^(\d+(?:\.\d*)?|\.\d+)([A-Za-z_]\w*)$/.exec(text);
        const hint = juxtaposed ? `; to multiply write '${juxtaposed[1]}*${juxtaposed[2]}'` : '';
        throw syntaxError(`malformed number '${text}'${hint}`, at);
      }
      const value = Number(source.slice(start, numberEnd));
      if (!Number.isFinite(value)) throw syntaxError(`number '${text}' is too large`, at);
      push('number', text, at, value);
      column += index - start;
    } else if (isNameStart(c)) {
      const start = index;
      while (index < length && isNamePart(source[index]!)) index++;
      const text = source.slice(start, index);
      if (RESERVED_NAMES.has(text)) throw syntaxError(`'${text}' is a reserved name`, at);
      push('name', text, at);
      column += index - start;
    } else if (c === '+' || c === '-' || c === '*' || c === '/' || c === '^') {
      push('operator', c, at);
      index++;
      column++;
    } else if (c === '(' || c === ')') {
      if (c === '(') parenDepth++;
      else if (parenDepth > 0) parenDepth--;
      push(c === '(' ? 'lparen' : 'rparen', c, at);
      index++;
      column++;
    } else if (c === ',') {
      push('comma', c, at);
      index++;
      column++;
    } else if (c === '=') {
      push('assign', c, at);
      index++;
      column++;
    } else {
      const hint = c === '\u2212' ? " (use the ASCII '-')" : c === '\u00d7' ? " (use '*')" : '';
      throw syntaxError(`unexpected character '${c}'${hint}`, at);
    }
  }
  push('end', '', { line, column });
  return tokens;
}

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'end of input';
    case 'separator':
      return token.text === ';' ? "';'" : 'end of line';
    case 'number':
      return `number '${token.text}'`;
    default:
      return `'${token.text}'`;
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Names learners bring from maths and other languages, which the edit distance cannot reach
 * (`ln` is two edits from `log`): suggested by meaning, with the reason where it helps.
 */
const FUNCTION_ALIASES: Readonly<Record<string, { name: string; note?: string }>> = {
  ln: { name: 'log', note: 'log here is the natural logarithm' },
  loge: { name: 'log', note: 'log here is the natural logarithm' },
  sig: { name: 'sigmoid' },
  logistic: { name: 'sigmoid' },
  sqr: { name: 'x^2', note: "square with '^'" },
  square: { name: 'x^2', note: "square with '^'" },
  fabs: { name: 'abs' },
};

/** The hint after "unknown function 'name'", or '' when nothing is close. */
export function functionHint(name: string): string {
  const alias = Object.prototype.hasOwnProperty.call(FUNCTION_ALIASES, name.toLowerCase())
    ? FUNCTION_ALIASES[name.toLowerCase()]
    : undefined;
  if (alias) return `; did you mean '${alias.name}'?${alias.note ? ` (${alias.note})` : ''}`;
  const suggestion = suggestFunction(name);
  return suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
}

function suggestFunction(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of CALLABLE_OPS.keys()) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

const ADD = op('add');
const SUB = op('sub');
const MUL = op('mul');
const DIV = op('div');
const NEG = op('neg');
const POW = op('pow');

class Parser {
  private position = 0;
  private depth = 0;
  private readonly instructions: Instruction[] = [];
  private readonly variables: { name: string; register: number }[] = [];
  private readonly bindings: Binding[] = [];
  private readonly scope = new Map<string, number>();

  constructor(
    private readonly tokens: Token[],
    private readonly limits: LanguageLimits,
  ) {}

  parseProgram(): ParsedProgram {
    this.skipSeparators();
    if (this.peek().type === 'end') throw syntaxError('the program is empty', { line: 1, column: 1 });
    let output = -1;
    for (;;) {
      const start = this.peek();
      const isAssignment = start.type === 'name' && this.peek(1).type === 'assign';
      if (isAssignment) {
        this.position += 2;
        output = this.parseExpression();
        // Binding after parsing the right side is what makes `c = c + 1` read the old c.
        this.scope.set(start.text, output);
        this.bindings.push({ name: start.text, register: output, line: start.line, column: start.column });
      } else {
        output = this.parseExpression();
      }
      const next = this.peek();
      if (next.type === 'end') break;
      if (next.type !== 'separator') {
        const hint = next.type === 'assign' ? '; only a single name can be assigned to' : '';
        throw syntaxError(`expected end of statement, found ${describe(next)}${hint}`, next);
      }
      this.skipSeparators();
      if (this.peek().type === 'end') break;
      if (!isAssignment) {
        throw syntaxError("only the last statement may be a bare expression; name it with 'name = ...'", start);
      }
    }
    return { instructions: this.instructions, variables: this.variables, bindings: this.bindings, output };
  }

  private parseExpression(): number {
    let left = this.parseTerm();
    for (;;) {
      const token = this.peek();
      if (token.type !== 'operator' || (token.text !== '+' && token.text !== '-')) return left;
      this.position++;
      const right = this.parseTerm();
      left = this.emitOp(token.text === '+' ? ADD : SUB, [left, right], token);
    }
  }

  private parseTerm(): number {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      if (token.type !== 'operator' || (token.text !== '*' && token.text !== '/')) return left;
      this.position++;
      const right = this.parseUnary();
      left = this.emitOp(token.text === '*' ? MUL : DIV, [left, right], token);
    }
  }

  private parseUnary(): number {
    const token = this.peek();
    if (token.type === 'operator' && (token.text === '-' || token.text === '+')) {
      this.position++;
      const operandToken = this.peek();
      // A negative literal is one constant node, `-3`, unless it is a base: -2^2 = -(2^2).
      if (
        token.text === '-' &&
        operandToken.type === 'number' &&
        !(this.peek(1).type === 'operator' && this.peek(1).text === '^')
      ) {
        this.position++;
        return this.emit({ kind: 'constant', value: -operandToken.value, line: token.line, column: token.column });
      }
      this.enter(token);
      const operand = this.parseUnary();
      this.depth--;
      return token.text === '-' ? this.emitOp(NEG, [operand], token) : operand;
    }
    return this.parsePower();
  }

  private parsePower(): number {
    const base = this.parsePrimary();
    const token = this.peek();
    if (token.type !== 'operator' || token.text !== '^') return base;
    this.position++;
    this.enter(token);
    const exponent = this.parseUnary();
    this.depth--;
    return this.emitOp(POW, [base, exponent], token);
  }

  private parsePrimary(): number {
    const token = this.peek();
    if (token.type === 'number') {
      this.position++;
      return this.emit({ kind: 'constant', value: token.value, line: token.line, column: token.column });
    }
    if (token.type === 'name') {
      this.position++;
      if (this.peek().type === 'lparen') return this.parseCall(token);
      return this.reference(token);
    }
    if (token.type === 'lparen') {
      this.position++;
      this.enter(token);
      const inner = this.parseExpression();
      this.expectClosing(token);
      this.depth--;
      return inner;
    }
    throw syntaxError(`expected a number, name or '(', found ${describe(token)}`, token);
  }

  private parseCall(nameToken: Token): number {
    const definition = CALLABLE_OPS.get(nameToken.text);
    if (definition === undefined) {
      const hint = functionHint(nameToken.text);
      throw new AutodiffError(
        'unknown-function',
        `unknown function '${nameToken.text}'${hint}`,
        nameToken.line,
        nameToken.column,
      );
    }
    const open = this.next();
    this.enter(open);
    const args: number[] = [];
    if (this.peek().type !== 'rparen') {
      args.push(this.parseExpression());
      while (this.peek().type === 'comma') {
        this.position++;
        args.push(this.parseExpression());
      }
    }
    this.expectClosing(open);
    this.depth--;
    if (args.length !== definition.arity) {
      const expected = definition.arity === 1 ? '1 argument' : `${definition.arity} arguments`;
      throw new AutodiffError(
        'arity',
        `'${nameToken.text}' takes ${expected}, got ${args.length}`,
        nameToken.line,
        nameToken.column,
      );
    }
    return this.emitOp(definition, args, nameToken);
  }

  private reference(token: Token): number {
    const bound = this.scope.get(token.text);
    if (bound !== undefined) return bound;
    const register = this.emit({ kind: 'input', name: token.text, line: token.line, column: token.column });
    this.variables.push({ name: token.text, register });
    // A free name is one variable: its later free uses share this input node.
    this.scope.set(token.text, register);
    return register;
  }

  private expectClosing(open: Token): void {
    const token = this.peek();
    if (token.type === 'rparen') {
      this.position++;
      return;
    }
    const expected = token.type === 'end' || token.type === 'separator' ? "')'" : "')' or an operator";
    throw syntaxError(
      `expected ${expected}, found ${describe(token)} (the '(' at line ${open.line}, col ${open.column} is not closed)`,
      token,
    );
  }

  private enter(token: Token): void {
    if (++this.depth > this.limits.maxDepth) {
      throw new AutodiffError(
        'limit',
        `expression nested deeper than ${this.limits.maxDepth} levels`,
        token.line,
        token.column,
      );
    }
  }

  private emitOp(definition: OpDefinition, args: readonly number[], at: SourcePosition): number {
    return this.emit({ kind: 'op', definition, args, line: at.line, column: at.column });
  }

  private emit(instruction: Instruction): number {
    if (this.instructions.length >= this.limits.maxNodes) {
      throw new AutodiffError(
        'limit',
        `program creates more than ${this.limits.maxNodes} graph nodes`,
        instruction.line,
        instruction.column,
      );
    }
    this.instructions.push(instruction);
    return this.instructions.length - 1;
  }

  private peek(ahead = 0): Token {
    const tokens = this.tokens;
    return tokens[Math.min(this.position + ahead, tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    this.position++;
    return token;
  }

  private skipSeparators(): void {
    while (this.peek().type === 'separator') this.position++;
  }
}

export function parseProgram(source: string, limits: LanguageLimits = DEFAULT_LIMITS): ParsedProgram {
  if (typeof source !== 'string') throw new AutodiffError('syntax', 'the program source must be a string', 1, 1);
  if (source.length > limits.maxSourceLength) {
    throw new AutodiffError(
      'limit',
      `program is ${source.length} characters long; the limit is ${limits.maxSourceLength}`,
      1,
      1,
    );
  }
  return new Parser(tokenize(source), limits).parseProgram();
}
