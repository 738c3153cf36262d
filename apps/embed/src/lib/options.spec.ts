import { DEFAULT_OPTIONS, readOptions, textColorOn } from './options';

describe('readOptions', () => {
  const read = (data: Record<string, string>) => {
    const warnings: string[] = [];
    return { options: readOptions(data, (message) => warnings.push(message)), warnings };
  };

  it('should default everything when no data- attribute is set', () => {
    expect(read({})).toEqual({ options: DEFAULT_OPTIONS, warnings: [] });
  });

  it('should read the label, colour, position, locale and context', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiQWRhIn0.c2ln';
    expect(read({ label: ' Help ', color: '#ABC', position: 'bottom-left', locale: 'pt-BR', context: token })).toEqual({
      options: { label: 'Help', title: 'Service Kit', color: '#aabbcc', position: 'bottom-left', locale: 'pt-BR', context: token },
      warnings: [],
    });
  });

  it('should replace unusable values by the defaults and say so on the console', () => {
    const { options, warnings } = read({
      label: 'x'.repeat(61),
      color: 'red; background: url(https://evil.example)',
      position: 'top',
      locale: 'de_DE<script>',
      context: 'not a token',
    });
    expect(options).toEqual(DEFAULT_OPTIONS);
    expect(warnings).toEqual([
      'Service Kit: data-label must be at most 60 characters; using the default.',
      'Service Kit: data-color must be a colour like #1f6feb; using the default.',
      'Service Kit: data-position must be bottom-right or bottom-left; using the default.',
      'Service Kit: data-locale must be a language tag like de or pt-BR; using the default.',
      'Service Kit: data-context must be a context token (a JWT); using the default.',
    ]);
  });
});

describe('readOptions with the served brand', () => {
  it('should take the brand’s name as the title and its colour as the default, data-color still winning', () => {
    const brand = { name: 'Acme Help', color: '#0b5fff' };
    expect(readOptions({}, () => undefined, brand)).toMatchObject({ title: 'Acme Help', color: '#0b5fff' });
    expect(readOptions({ color: '#ff0000' }, () => undefined, brand)).toMatchObject({ title: 'Acme Help', color: '#ff0000' });
    expect(readOptions({}, () => undefined, { name: 'Acme Help', color: null }).color).toBe(DEFAULT_OPTIONS.color);
  });
});

describe('textColorOn', () => {
  /** WCAG contrast ratio of two #rrggbb colours. */
  function contrast(a: string, b: string): number {
    const luminance = (color: string) =>
      [1, 3, 5]
        .map((i) => parseInt(color.slice(i, i + 2), 16) / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, i) => sum + v * ([0.2126, 0.7152, 0.0722][i] ?? 0), 0);
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (light + 0.05) / (dark + 0.05);
  }

  it('should keep the label readable (contrast 4.5 or more) on any button colour', () => {
    const seed = Number(process.env['SEED'] ?? Date.now() % 100_000);
    process.stdout.write(`textColorOn seed ${seed}\n`);
    let state = seed;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const colours = ['#000000', '#ffffff', '#1f6feb', '#ffd33d', '#767676', '#777777'];
    for (let i = 0; i < 500; i++) {
      colours.push(
        `#${Math.floor(random() * 0xffffff)
          .toString(16)
          .padStart(6, '0')}`,
      );
    }
    for (const colour of colours) expect([colour, contrast(colour, textColorOn(colour)) >= 4.5]).toEqual([colour, true]);
  });
});
