import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { pageLocale } from '@servicekit/web/i18n';

/** The confirmation of a callback request: what happens next, and when its data is deleted. */
@Component({
  selector: 'sk-callback-sent',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p data-testid="callback-sent" role="status" i18n="@@callback.thanks">
      Thank you. A representative will call or write to you as soon as one is free.
    </p>
    <p class="privacy" data-testid="callback-deletion" i18n="@@callback.deletion">
      Your request and your contact details are deleted as soon as a representative has dealt with it, and on
      <strong>{{ deleteByText() }}</strong> at the latest.
    </p>
  `,
  styles: `
    .privacy {
      color: var(--sk-muted);
    }
  `,
})
export class CallbackSentComponent {
  /** ISO 8601: the latest the request is kept. */
  readonly deleteBy = input.required<string>();
  protected readonly deleteByText = computed(() =>
    new Intl.DateTimeFormat(pageLocale(), {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(this.deleteBy())),
  );
}
