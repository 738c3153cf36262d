import { chooseSeed, seededRandom } from './seeded-random';

const draws = (seed: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: 20 }, () => random.integer(0, 1000));
};

describe('seededRandom', () => {
  it('should give the same decisions for the same seed, and other decisions for another seed', () => {
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
    expect(seededRandom(42).seed).toBe(42);
  });

  it('should keep integers within their bounds, both included', () => {
    const random = seededRandom(7);
    const seen = new Set(Array.from({ length: 500 }, () => random.integer(3, 5)));
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });

  it('should say yes about as often as the probability says, never for 0 and always for 1', () => {
    const random = seededRandom(1);
    const yes = Array.from({ length: 10_000 }, () => random.chance(0.3)).filter(Boolean).length;
    expect(yes).toBeGreaterThan(2700);
    expect(yes).toBeLessThan(3300);
    expect(Array.from({ length: 100 }, () => random.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => random.chance(1)).every(Boolean)).toBe(true);
  });
});

describe('chooseSeed', () => {
  let printed: string[];

  beforeEach(() => {
    printed = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it('should take TEST_SEED when it is set and print how to replay it', () => {
    expect(chooseSeed(`${process.cwd()}/apps/x.spec.ts`, { TEST_SEED: '123' })).toBe(123);
    expect(printed).toEqual(['apps/x.spec.ts: random seed 123; replay with TEST_SEED=123 npm test -- apps/x.spec.ts\n']);
  });

  it('should choose a fresh seed without TEST_SEED, and print it', () => {
    const seed = chooseSeed(`${process.cwd()}/apps/x.spec.ts`, {});
    expect(Number.isSafeInteger(seed) && seed >= 0).toBe(true);
    expect(printed.join('')).toContain(`random seed ${seed}; replay with TEST_SEED=${seed} `);
  });

  it('should refuse a TEST_SEED that is not a whole number, saying what it must be', () => {
    expect(() => chooseSeed('x.spec.ts', { TEST_SEED: 'abc' })).toThrow(
      'TEST_SEED must be a whole number from 0 to 2147483647 (got "abc").',
    );
    expect(() => chooseSeed('x.spec.ts', { TEST_SEED: '1.5' })).toThrow('TEST_SEED must be a whole number');
    expect(() => chooseSeed('x.spec.ts', { TEST_SEED: '99999999999' })).toThrow('TEST_SEED must be a whole number');
    expect(printed).toEqual([]);
  });
});
