import fc from 'fast-check';
import { jsonNestingExceeds } from './json-depth';

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** Nesting depth of a parsed JSON value: a scalar is 0, `[]` is 1. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('jsonNestingExceeds', () => {
  it.each([
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['[[[]]]', 3],
    ['"[[[[[["', 0],
    ['{"a":"\\"[[[[","b":[]}', 2],
    ['{"a\\\\":[[]]}', 3],
    ['{"ünïcödé 😀":["[{"]}', 2],
  ])('should count %s as %i level(s) deep', (text, depth) => {
    expect(jsonNestingExceeds(bytes(text), depth)).toBe(false);
    expect(jsonNestingExceeds(bytes(text), depth - 1)).toBe(depth > 0);
  });

  it('should find 100,000 nested arrays too deep without running out of stack', () => {
    expect(jsonNestingExceeds(bytes('['.repeat(100_000) + ']'.repeat(100_000)), 32)).toBe(true);
  });

  it('should agree with JSON.parse on the depth of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(jsonNestingExceeds(bytes(text), limit)).toBe(depthOf(JSON.parse(text)) > limit);
      }),
    );
  });
});
