export type AutodiffErrorKind =
  | 'syntax'
  | 'unknown-function'
  | 'arity'
  | 'missing-variable'
  | 'invalid-variable'
  | 'limit'
  | 'stale'
  | 'foreign-value'
  | 'not-seeded'
  | 'invalid-option';

/**
 * Every error the engine raises on purpose. Source errors carry a 1-based `line`/`column`;
 * errors not tied to program text (a stale gradient view, values from two tapes) use 0.
 * `detail` is the message without the position prefix, for UIs that show position separately.
 */
export class AutodiffError extends Error {
  readonly kind: AutodiffErrorKind;
  readonly line: number;
  readonly column: number;
  readonly detail: string;

  constructor(kind: AutodiffErrorKind, detail: string, line = 0, column = 0) {
    super(line > 0 ? `line ${line}, col ${column}: ${detail}` : detail);
    this.name = 'AutodiffError';
    this.kind = kind;
    this.line = line;
    this.column = column;
    this.detail = detail;
  }
}
