import { LANGUAGE_KEY, pageLocale, pickLanguage, startLanguage, translationsUrl } from './language';

describe('pickLanguage', () => {
  it('should take ?lang= first, then the stored choice, then the first browser language we have, else English', () => {
    expect(pickLanguage('ar', 'de', ['en-GB'])).toBe('ar');
    expect(pickLanguage(null, 'de', ['ar-EG'])).toBe('de');
    expect(pickLanguage(null, null, ['fr-FR', 'de-AT', 'ar'])).toBe('de');
    expect(pickLanguage('xx', 'tlh', ['fr', 'es'])).toBe('en');
    expect(pickLanguage(null, null, [])).toBe('en');
  });
});

describe('startLanguage', () => {
  afterEach(() => {
    localStorage.clear();
    document.documentElement.lang = '';
    document.documentElement.dir = '';
  });

  it('should set <html lang dir>, right-to-left for Arabic', () => {
    localStorage.setItem(LANGUAGE_KEY, 'ar');
    expect(startLanguage(window)).toBe('ar');
    expect(document.documentElement.lang).toBe('ar');
    expect(document.documentElement.dir).toBe('rtl');
    localStorage.setItem(LANGUAGE_KEY, 'de');
    expect(startLanguage(window)).toBe('de');
    expect(document.documentElement.dir).toBe('ltr');
  });
});

describe('pageLocale', () => {
  it("should take the browser's variant of the page's language, else the language", () => {
    const win = (lang: string, languages: string[]) =>
      ({ document: { documentElement: { lang } }, navigator: { languages } }) as unknown as Window;
    expect(pageLocale(win('en', ['de-DE', 'en-GB']))).toBe('en-GB');
    expect(pageLocale(win('ar', ['en-GB']))).toBe('ar');
    expect(pageLocale(win('', ['en-GB']))).toBeUndefined();
  });
});

describe('translationsUrl', () => {
  it('should find the catalogue beside the app, under <base href>', () => {
    expect(translationsUrl('de', 'https://help.example.com/')).toBe('https://help.example.com/locale/messages.de.json');
  });
});
