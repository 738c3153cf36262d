export {
  LANGUAGE_KEY,
  LANGUAGES,
  type Language,
  type LanguageOption,
  pageLocale,
  pickLanguage,
  startLanguage,
  translationsUrl,
  loadLanguage,
} from './lib/language';
export { LanguageSwitcher } from './lib/language-switcher.component';
