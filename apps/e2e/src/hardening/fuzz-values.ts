import fc from 'fast-check';

/**
 * Values for the fuzz suites, kept small when printed: deep nesting and huge strings are described (`{deep: n}`,
 * `{huge: n}`) and only built when a request is sent, so that a failing case reads in one line.
 */
export type Value =
  | { json: unknown }
  | { deep: number; of: 'array' | 'object' }
  | { huge: number; char: string }
  | { fields: [string, Value][] }
  | { items: Value[] };

/** Builds the value a Value describes. Objects are built with own keys only (`__proto__` stays a key). */
export function build(value: Value): unknown {
  if ('json' in value) return value.json;
  if ('deep' in value) {
    let inner: unknown = 1;
    for (let i = 0; i < value.deep; i++) inner = value.of === 'array' ? [inner] : { a: inner };
    return inner;
  }
  if ('huge' in value) return value.char.repeat(value.huge);
  if ('items' in value) return value.items.map(build);
  const object: Record<string, unknown> = {};
  for (const [key, field] of value.fields) {
    Object.defineProperty(object, key, { value: build(field), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** Names that class-transformer, class-validator or a plain object lookup may treat specially. */
export const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
] as const;

const ODD_CHARACTERS = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u202e',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u0301',
  '😀',
  '👩‍👩‍👧',
  '𝕏',
  'é',
  'ß',
  'İ',
  '"',
  '\\',
  '%',
  '/',
  '\n',
  '\t',
  ' ',
];

/** Strings of odd Unicode: lone surrogates, NUL and other controls, bidi overrides, BOMs, combining marks, emoji. */
export const oddString = (maxLength = 30) =>
  fc.string({ unit: fc.oneof(fc.constantFrom(...ODD_CHARACTERS), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength });

/** Any value of the wrong shape for a text or number field, some of them very large or deep. */
export const badValue: fc.Arbitrary<Value> = fc.oneof(
  fc
    .oneof(
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.constantFrom(-0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, -1),
      fc.string({ maxLength: 20 }),
      oddString(),
      fc.constantFrom('', ' ', '   ', '\u0000', '0', '1e3', 'NaN', 'null', 'true', '[]', '{}'),
      fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES, 'a'), fc.integer(), { maxKeys: 3 }),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map((json) => ({ json })),
  fc.record({ deep: fc.integer({ min: 33, max: 3000 }), of: fc.constantFrom('array' as const, 'object' as const) }),
  fc.record({ huge: fc.integer({ min: 51, max: 12_000 }), char: fc.constantFrom('a', 'é', '😀', '\u0000', ' ', '\ud800') }),
);

/** A key a body should not have. */
export const extraKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.constantFrom('admin', 'role', 'id', 'repId', 'helpSessionId', 'position', '', ' ', 'customerName ', 'CustomerName', 'waitms'),
  fc.string({ maxLength: 12 }),
  oddString(8),
  fc.integer({ min: 300, max: 2000 }).map((n) => 'k'.repeat(n)),
);

/** Help session ids as they appear in a path (already percent-encoded where needed). */
export const badIdInPath = fc.oneof(
  fc.constantFrom(
    'a%20b',
    '%20',
    '%09',
    '%00',
    'a%00b',
    '%',
    '%%',
    '%zz',
    '%E0%A4%A',
    '%C0%AF',
    '%FF',
    '%2F',
    '..',
    '.',
    '%2E%2E',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    'toString',
    'AAAAAAAAAAAAAAAAAAAAAA',
    '----------------------',
    'AAAAAAAAAAAAAAAAAAAAA',
    'AAAAAAAAAAAAAAAAAAAAAAA',
  ),
  fc.integer({ min: 240, max: 1200 }).map((n) => 'x'.repeat(n)),
  fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  oddString(12).map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?'))),
  fc.string({
    unit: fc.constantFrom('%', '0', 'A', 'f', 'g', '/', '.', '~', '!', '*', "'", '(', ')', ';', ':', '@', '&', '=', '+', '$', ','),
    maxLength: 12,
  }),
);
