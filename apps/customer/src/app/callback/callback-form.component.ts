import { ChangeDetectionStrategy, Component, computed, input, model, output, signal } from '@angular/core';
import { type CallbackRequestCreate, characterCount, PROBLEM_TEXT_MAX } from '@servicekit/contracts';
import { characterHint, contactMissingText, emailText, helpFieldErrors, phoneText } from '../field-errors';

/** What the form sends: the request without `helpSessionId` (the page adds it when the customer gives up a queue place). */
export type CallbackFields = Omit<CallbackRequestCreate, 'helpSessionId'>;

/**
 * The callback request: name, problem, and a phone number or an email address, checked here by the same rules
 * as the server's (`libs/contracts`); the server's sentences, if any, show beside their fields.
 */
@Component({
  selector: 'sk-callback-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form (submit)="submit($event)" novalidate data-testid="callback-form">
      @if (reason(); as reason) {
        <p class="notice" role="status" data-testid="callback-reason">{{ reason }}</p>
      }
      <div class="field">
        <label for="callback-name" i18n="@@form.name">Your name</label>
        <input
          id="callback-name"
          name="customerName"
          autocomplete="name"
          [value]="name()"
          (input)="name.set($any($event.target).value)"
          [attr.aria-invalid]="errors()['customerName'] ? true : null"
          aria-describedby="callback-name-error"
        />
        @if (errors()['customerName']; as message) {
          <p id="callback-name-error" class="field-error" data-testid="callback-name-error">{{ message }}</p>
        }
      </div>
      <div class="field">
        <label for="callback-problem" i18n="@@form.problem">What do you need help with?</label>
        <textarea
          id="callback-problem"
          name="problemText"
          rows="3"
          [value]="problem()"
          (input)="problem.set($any($event.target).value)"
          [attr.aria-invalid]="errors()['problemText'] ? true : null"
          aria-describedby="callback-problem-hint callback-problem-error"
        ></textarea>
        <small id="callback-problem-hint" class="hint">{{ problemHint() }}</small>
        @if (errors()['problemText']; as message) {
          <p id="callback-problem-error" class="field-error" data-testid="callback-problem-error">{{ message }}</p>
        }
      </div>
      <fieldset aria-describedby="callback-contact-hint callback-contact-error">
        <legend i18n="@@callback.reach">How can we reach you?</legend>
        <p id="callback-contact-hint" class="hint" i18n="@@callback.contactHint">A phone number, an email address, or both.</p>
        <div class="field">
          <label for="callback-phone" i18n="@@callback.phone">Phone</label>
          <input
            id="callback-phone"
            name="phone"
            type="tel"
            autocomplete="tel"
            [value]="phone()"
            (input)="phone.set($any($event.target).value)"
            [attr.aria-invalid]="errors()['phone'] ? true : null"
            aria-describedby="callback-phone-error"
          />
          @if (errors()['phone']; as message) {
            <p id="callback-phone-error" class="field-error" data-testid="callback-phone-error">{{ message }}</p>
          }
        </div>
        <div class="field">
          <label for="callback-email" i18n="@@callback.email">Email</label>
          <input
            id="callback-email"
            name="email"
            type="email"
            autocomplete="email"
            [value]="email()"
            (input)="email.set($any($event.target).value)"
            [attr.aria-invalid]="errors()['email'] ? true : null"
            aria-describedby="callback-email-error"
          />
          @if (errors()['email']; as message) {
            <p id="callback-email-error" class="field-error" data-testid="callback-email-error">{{ message }}</p>
          }
        </div>
        @if (errors()['contact']; as message) {
          <p id="callback-contact-error" class="field-error" data-testid="callback-contact-error">{{ message }}</p>
        }
      </fieldset>
      @if (error(); as message) {
        <p class="field-error" role="alert" data-testid="callback-error">{{ message }}</p>
      }
      <div class="actions">
        <button type="submit" data-testid="send-callback" [disabled]="busy()" i18n="@@callback.send">Send the callback request</button>
        @if (backLabel(); as label) {
          <button type="button" class="secondary" data-testid="callback-back" (click)="back.emit()">{{ label }}</button>
        }
      </div>
    </form>
  `,
  styles: `
    .field {
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
      margin-bottom: 0.75rem;
    }
    fieldset {
      border: 1px solid #d0d7de;
      border-radius: var(--sk-radius);
      margin: 0 0 0.75rem;
      padding: 0.5rem 0.75rem;
    }
    legend {
      font-weight: 600;
    }
    input,
    textarea {
      font: inherit;
      padding: 0.5rem;
      border: 1px solid #8c959f;
      border-radius: var(--sk-radius);
    }
    [aria-invalid='true'] {
      border-color: var(--sk-danger);
    }
    .hint {
      color: var(--sk-muted);
      margin: 0 0 0.5rem;
    }
    .field-error {
      color: var(--sk-danger);
      margin: 0.25rem 0;
    }
    .notice {
      padding: 0.5rem 0.75rem;
      border-inline-start: 4px solid #9a6700;
      background: #fff8c5;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .secondary {
      background: #57606a;
      color: #fff;
    }
  `,
})
export class CallbackFormComponent {
  /** Why the customer is here (the server's sentence when it refused a queue place), or nothing. */
  readonly reason = input<string | null>(null);
  readonly busy = input(false);
  /** The server's sentences per field (`details` of a 400). */
  readonly serverErrors = input<Record<string, string>>({});
  readonly error = input<string | null>(null);
  /** A second button (back to the queue), when there is somewhere to go back to. */
  readonly backLabel = input<string | null>(null);
  /** Shared with the page, so that what was typed for the video call is kept. */
  readonly name = model('');
  readonly problem = model('');
  protected readonly phone = signal('');
  protected readonly email = signal('');

  readonly send = output<CallbackFields>();
  readonly back = output<void>();

  private readonly touched = signal(false);
  private readonly localErrors = computed<Record<string, string>>(() => {
    if (!this.touched()) return {};
    const errors: Record<string, string> = {
      ...helpFieldErrors(this.name(), this.problem()),
    };
    const phone = this.phone().trim();
    const email = this.email().trim();
    const phoneMessage = phone ? phoneText(phone) : null;
    const emailMessage = email ? emailText(email) : null;
    if (phoneMessage) errors['phone'] = phoneMessage;
    if (emailMessage) errors['email'] = emailMessage;
    if (!phone && !email) errors['contact'] = contactMissingText();
    return errors;
  });
  /** Ours first (the same rules as the server's), then the server's for what we let through. */
  protected readonly errors = computed<Record<string, string | undefined>>(() => ({ ...this.serverErrors(), ...this.localErrors() }));
  protected readonly problemHint = computed(() => characterHint(characterCount(this.problem().trim()), PROBLEM_TEXT_MAX));

  protected submit(event: Event): void {
    event.preventDefault();
    this.touched.set(true);
    if (Object.keys(this.localErrors()).length > 0) return;
    const phone = this.phone().trim();
    const email = this.email().trim();
    this.send.emit({
      customerName: this.name().trim(),
      problemText: this.problem().trim(),
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
    });
  }
}
