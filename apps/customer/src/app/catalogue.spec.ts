import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Catalogue {
  locale: string;
  translations: Record<string, string>;
}

const read = (name: string): Catalogue => JSON.parse(readFileSync(join(__dirname, '..', 'locale', name), 'utf8')) as Catalogue;
const placeholders = (text: string): string[] => [...text.matchAll(/\{\$[A-Za-z_]+\}/g)].map((match) => match[0]).sort();

describe('the translation catalogues', () => {
  const source = read('messages.json');
  const ids = Object.keys(source.translations);

  it('should have the extracted English messages', () => {
    expect(source.locale).toBe('en');
    expect(ids.length).toBeGreaterThan(50);
  });

  for (const language of ['de', 'ar']) {
    describe(language, () => {
      const catalogue = read(`messages.${language}.json`);

      it('should have every id of messages.json, none empty, and no id that is not there', () => {
        expect(catalogue.locale).toBe(language);
        const missing = ids.filter((id) => !(catalogue.translations[id] ?? '').trim());
        expect(missing).toEqual([]);
        expect(Object.keys(catalogue.translations).filter((id) => !(id in source.translations))).toEqual([]);
      });

      it('should keep every placeholder of the English message', () => {
        const wrong = ids.filter(
          (id) => placeholders(catalogue.translations[id] ?? '').join() !== placeholders(source.translations[id] ?? '').join(),
        );
        expect(wrong).toEqual([]);
      });

      // A single word may be the same in both languages ("Chat"); a sentence may not.
      it('should translate the sentences rather than copy the English', () => {
        const copied = ids.filter(
          (id) => /[a-z]+ [a-z]+/i.test(source.translations[id] ?? '') && catalogue.translations[id] === source.translations[id],
        );
        expect(copied).toEqual([]);
      });
    });
  }
});
