import { ChangeDetectionStrategy, Component } from '@angular/core';
import { LANGUAGE_KEY, LANGUAGES, type Language } from './language';

/**
 * A labelled `<select>` of the languages, each in its own name. Choosing one remembers it in this browser and
 * reloads the page (translations are loaded before the app starts).
 */
@Component({
  selector: 'i18n-language-switcher',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <label class="switcher">
      <span class="label visually-hidden-narrow" i18n="@@language.label">Language</span>
      <select data-testid="language-switcher" [value]="current" (change)="choose($any($event.target).value)">
        @for (option of languages; track option.code) {
          <option [value]="option.code" [attr.lang]="option.code" [selected]="option.code === current">{{ option.name }}</option>
        }
      </select>
    </label>
  `,
  styles: `
    :host {
      margin-inline-start: auto;
      align-self: center;
    }
    .switcher {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
    }
    select {
      font: inherit;
      padding: 0.2rem 0.4rem;
      border-radius: var(--sk-radius, 6px);
      border: 1px solid #8c959f;
      background: #fff;
      color: #1f2328;
    }
  `,
})
export class LanguageSwitcher {
  protected readonly languages = LANGUAGES;
  protected readonly current = document.documentElement.lang || 'en';

  protected choose(code: string): void {
    const language = LANGUAGES.find((option) => option.code === code)?.code;
    if (!language || language === this.current) return;
    // `?lang=` would win over the stored choice: drop it, or carry the choice in it when storage is blocked.
    const url = new URL(window.location.href);
    if (remember(language)) url.searchParams.delete('lang');
    else url.searchParams.set('lang', language);
    window.location.assign(url.toString());
  }
}

function remember(language: Language): boolean {
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
    return true;
  } catch {
    return false;
  }
}
