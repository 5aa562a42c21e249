/**
 * Widget state in the URL, so an instructor can share an exact setup.
 *
 * Each widget instance has an id (`fp`) and stores its fields as `<id>.<key>=<value>` in the
 * query string, next to other widgets' keys, which are left alone:
 *   ?fp.w=0.8&fp.loss=bce&fp.hide=b,y&fp.lock=x
 * `hide` lists controls not shown, `lock` controls shown but disabled (TensorFlow Playground's
 * `*_hide` flags). Decoding is strict and never throws: a bad value falls back to the field's
 * default, numbers are clamped to their range, unknown keys and control names are ignored.
 * Only values that differ from the default are written, so a fresh widget adds nothing.
 *
 * The validators are small hand-written checks rather than zod: this module ships to the
 * browser, and even zod/mini costs ~3.8 kB gzipped, near a third of the budget for all the
 * widgets and the engine together (docs/decisions/003-widget-architecture.md).
 */

export interface NumberField {
  type: 'number';
  default: number;
  min: number;
  max: number;
  /** Integers only (rounded after parsing). */
  integer?: boolean;
}

export interface EnumField<V extends string = string> {
  type: 'enum';
  default: V;
  values: readonly V[];
}

export interface BooleanField {
  type: 'boolean';
  default: boolean;
}

/** A short identifier (a node name): letters, digits and `_`, checked again by the widget. */
export interface NameField {
  type: 'name';
  default: string;
}

/**
 * Free text (a program typed by the learner), capped at `maxLength` characters. Anything longer
 * falls back to the default; the widget still validates the text itself (it is untrusted).
 */
export interface TextField {
  type: 'text';
  default: string;
  maxLength: number;
}

export type FieldSpec = NumberField | EnumField | BooleanField | NameField | TextField;

type ValueOf<T extends FieldSpec> =
  T extends EnumField<infer V> ? V : T extends NumberField ? number : T extends BooleanField ? boolean : string;

export type StateOf<F extends Record<string, FieldSpec>> = { [K in keyof F]: ValueOf<F[K]> };

export interface WidgetStateSpec<F extends Record<string, FieldSpec>> {
  fields: F;
  /** Names that `hide` and `lock` may list: every field plus extra controls (`timeline`). */
  controls: readonly string[];
}

export interface WidgetUrlState<F extends Record<string, FieldSpec>> {
  values: StateOf<F>;
  hide: string[];
  lock: string[];
}

export const num = (def: number, min: number, max: number, integer = false): NumberField => ({
  type: 'number',
  default: def,
  min,
  max,
  integer,
});
export const oneOf = <V extends string>(values: readonly V[], def: V): EnumField<V> => ({
  type: 'enum',
  default: def,
  values,
});
export const bool = (def: boolean): BooleanField => ({ type: 'boolean', default: def });
export const name = (def: string): NameField => ({ type: 'name', default: def });
export const text = (def: string, maxLength: number): TextField => ({ type: 'text', default: def, maxLength });

export function defineWidgetState<F extends Record<string, FieldSpec>>(
  fields: F,
  extraControls: readonly string[] = [],
): WidgetStateSpec<F> {
  return { fields, controls: [...Object.keys(fields), ...extraControls] };
}

// A plain decimal or exponent number; rejects '', ' 1', '0x10', 'Infinity', '1,5'.
const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const NAME_TEXT = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

function decodeField(field: FieldSpec, raw: string | null): unknown {
  if (raw === null) return field.default;
  switch (field.type) {
    case 'number': {
      if (raw.length > 32 || !NUMBER_TEXT.test(raw)) return field.default;
      let value = Number(raw);
      if (!Number.isFinite(value)) return field.default;
      if (field.integer) value = Math.round(value);
      return Math.min(field.max, Math.max(field.min, value));
    }
    case 'enum':
      return field.values.includes(raw) ? raw : field.default;
    case 'boolean':
      return raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : field.default;
    case 'name':
      return NAME_TEXT.test(raw) ? raw : field.default;
    case 'text':
      return raw.length <= field.maxLength ? raw : field.default;
  }
}

function encodeField(field: FieldSpec, value: unknown): string {
  if (field.type === 'boolean') return value ? '1' : '0';
  // String(number) is the shortest text that parses back to the same double.
  return String(value);
}

function decodeList(raw: string | null, allowed: readonly string[]): string[] {
  if (raw === null || raw.length > 400) return [];
  const out: string[] = [];
  for (const item of raw.split(',')) {
    const name = item.trim();
    if (allowed.includes(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

export function defaultState<F extends Record<string, FieldSpec>>(spec: WidgetStateSpec<F>): WidgetUrlState<F> {
  const values: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec.fields)) values[key] = field.default;
  return { values: values as StateOf<F>, hide: [], lock: [] };
}

function toParams(search: string | URLSearchParams): URLSearchParams {
  return typeof search === 'string' ? new URLSearchParams(search) : new URLSearchParams(search);
}

export function decodeWidgetState<F extends Record<string, FieldSpec>>(
  spec: WidgetStateSpec<F>,
  id: string,
  search: string | URLSearchParams,
): WidgetUrlState<F> {
  const params = toParams(search);
  const values: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec.fields)) values[key] = decodeField(field, params.get(`${id}.${key}`));
  return {
    values: values as StateOf<F>,
    hide: decodeList(params.get(`${id}.hide`), spec.controls),
    lock: decodeList(params.get(`${id}.lock`), spec.controls),
  };
}

/**
 * `search` with this widget's keys replaced by `state` (defaults and empty lists omitted).
 * Other widgets' keys and unrelated parameters are kept in their order.
 */
export function encodeWidgetState<F extends Record<string, FieldSpec>>(
  spec: WidgetStateSpec<F>,
  id: string,
  state: WidgetUrlState<F>,
  search: string | URLSearchParams = '',
): URLSearchParams {
  const params = toParams(search);
  for (const key of [...params.keys()]) if (key.startsWith(`${id}.`)) params.delete(key);
  for (const [key, field] of Object.entries(spec.fields)) {
    const value = (state.values as Record<string, unknown>)[key];
    if (value !== undefined && value !== field.default) params.set(`${id}.${key}`, encodeField(field, value));
  }
  if (state.hide.length > 0) params.set(`${id}.hide`, state.hide.join(','));
  if (state.lock.length > 0) params.set(`${id}.lock`, state.lock.join(','));
  return params;
}

/** `?a=1&b=x,y` with commas left readable (URLSearchParams escapes them as %2C). */
export function queryString(params: URLSearchParams): string {
  const text = params.toString().replace(/%2C/gi, ',');
  return text === '' ? '' : `?${text}`;
}
