import { loadTranslations } from '@angular/localize';

/** The languages the apps are translated into; English is the source language (no catalogue to load). */
export type Language = 'en' | 'de' | 'ar';

export interface LanguageOption {
  readonly code: Language;
  /** The language's own name, so that a customer finds theirs whatever the page is in. */
  readonly name: string;
  readonly dir: 'ltr' | 'rtl';
}

export const LANGUAGES: readonly LanguageOption[] = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'de', name: 'Deutsch', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
];

/** localStorage: the language the customer chose with the switcher (overrides the browser's languages). */
export const LANGUAGE_KEY = 'sk.language';

function known(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((option) => option.code === base)?.code ?? null;
}

/**
 * The language to show: `?lang=` (the widget passes the host page's), then the customer's choice, then the first
 * of the browser's languages that we have, else English.
 */
export function pickLanguage(query: string | null, stored: string | null, browser: readonly string[]): Language {
  for (const candidate of [query, stored, ...browser]) {
    const language = known(candidate);
    if (language) return language;
  }
  return 'en';
}

function readStored(storage: Storage | undefined): string | null {
  try {
    return storage?.getItem(LANGUAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Picks the language for this page and sets `<html lang dir>` (Arabic right-to-left). Call before bootstrap. */
export function startLanguage(win: Window = window): Language {
  const query = new URL(win.location.href).searchParams.get('lang');
  const language = pickLanguage(query, readStored(win.localStorage), win.navigator.languages ?? [win.navigator.language]);
  const root = win.document.documentElement;
  root.lang = language;
  root.dir = LANGUAGES.find((option) => option.code === language)?.dir ?? 'ltr';
  return language;
}

/** Where the catalogue of a language is served (beside the app, relative to `<base href>`). */
export function translationsUrl(language: Language, baseUri: string): string {
  return new URL(`locale/messages.${language}.json`, baseUri).toString();
}

/**
 * Loads the catalogue of `language` into `$localize` (nothing for English, the source language). A catalogue that
 * cannot be loaded leaves the page in English rather than blank.
 */
export async function loadLanguage(language: Language, win: Window = window): Promise<Language> {
  if (language === 'en') return 'en';
  try {
    const response = await win.fetch(translationsUrl(language, win.document.baseURI));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const catalogue = (await response.json()) as { translations?: Record<string, string> };
    loadTranslations(catalogue.translations ?? {});
    return language;
  } catch (error) {
    console.warn(`Service Kit: the ${language} translations could not be loaded, so the page is in English.`, error);
    win.document.documentElement.lang = 'en';
    win.document.documentElement.dir = 'ltr';
    return 'en';
  }
}

/**
 * The locale for dates and numbers: the browser's own variant of the page's language ("en-GB" rather than "en"
 * for a British browser showing English), else the page's language.
 */
export function pageLocale(win: Window = window): string | undefined {
  const language = win.document.documentElement.lang;
  if (!language) return undefined;
  const browser = win.navigator.languages ?? [win.navigator.language];
  return browser.find((tag) => tag.toLowerCase().split(/[-_]/)[0] === language) ?? language;
}
