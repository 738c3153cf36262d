import { ChangeDetectionStrategy, Component, computed, ElementRef, inject, signal, viewChild } from '@angular/core';
import { Router } from '@angular/router';
import { formErrors, REP_SIGN_IN_FIELDS } from '@servicekit/contracts';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { RepSessionStore } from '../rep-session.store';

type Field = keyof typeof REP_SIGN_IN_FIELDS;

/** Display name and team passcode; on success the console, which starts with the camera check. */
@Component({
  selector: 'sk-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title" tabindex="-1">Sign in to take customers</h1>
      <p>Representatives sign in with their display name and the team passcode.</p>
      @if (session.notice(); as notice) {
        <p class="notice" role="status">{{ notice }}</p>
      }
      <form novalidate (submit)="submit($event)">
        <div class="field">
          <label for="rep-name">Display name</label>
          <input
            #nameInput
            id="rep-name"
            name="name"
            data-testid="rep-name"
            autocomplete="name"
            [value]="name()"
            (input)="edit('name', $event)"
            [attr.aria-invalid]="errors().name ? true : null"
            [attr.aria-describedby]="errors().name ? 'rep-name-error' : null"
          />
          @if (errors().name; as message) {
            <p id="rep-name-error" class="field-error">{{ message }}</p>
          }
        </div>
        <div class="field">
          <label for="rep-passcode">Passcode</label>
          <input
            #passcodeInput
            id="rep-passcode"
            name="passcode"
            type="password"
            data-testid="rep-passcode"
            autocomplete="current-password"
            [value]="passcode()"
            (input)="edit('passcode', $event)"
            [attr.aria-invalid]="errors().passcode ? true : null"
            [attr.aria-describedby]="errors().passcode ? 'rep-passcode-error' : null"
          />
          @if (errors().passcode; as message) {
            <p id="rep-passcode-error" class="field-error">{{ message }}</p>
          }
        </div>
        <div role="alert" class="error" data-testid="rep-sign-in-error">{{ error() }}</div>
        <button type="submit" data-testid="rep-sign-in" [disabled]="busy()">
          {{ busy() ? 'Signing in…' : 'Sign in' }}
        </button>
      </form>
    </section>
  `,
  styles: `
    .sign-in {
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
      padding: 2rem 1.5rem;
      max-width: 28rem;
      margin: 0 auto;
    }
    h1 {
      margin-top: 0;
      font-size: 1.5rem;
    }
    h1:focus {
      outline: none;
    }
    form {
      display: grid;
      gap: 1rem;
    }
    .field {
      display: grid;
      gap: 0.25rem;
    }
    label {
      font-weight: 600;
    }
    input {
      font: inherit;
      padding: 0.5rem 0.6rem;
      border: 1px solid var(--sk-muted);
      border-radius: var(--sk-radius);
    }
    input[aria-invalid='true'] {
      border-color: var(--sk-danger);
    }
    .field-error,
    .error {
      color: var(--sk-danger);
      margin: 0;
    }
    .error:empty {
      display: none;
    }
    .notice {
      padding: 0.5rem 0.75rem;
      border-left: 4px solid var(--sk-accent);
      background: var(--sk-page);
    }
    button {
      justify-self: start;
    }
  `,
})
export class SignInPage {
  private readonly api = inject(ServiceKitApi);
  private readonly router = inject(Router);
  protected readonly session = inject(RepSessionStore);

  protected readonly name = signal('');
  protected readonly passcode = signal('');
  protected readonly touched = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal('');
  private readonly serverErrors = signal<Partial<Record<Field, string>>>({});
  private readonly localErrors = computed(() =>
    this.touched() ? formErrors<typeof REP_SIGN_IN_FIELDS>({ name: this.name(), passcode: this.passcode() }, REP_SIGN_IN_FIELDS) : {},
  );
  /** The same rules as the server first, then what the server said about a field. */
  protected readonly errors = computed<Partial<Record<Field, string>>>(() => ({ ...this.serverErrors(), ...this.localErrors() }));

  private readonly nameInput = viewChild.required<ElementRef<HTMLInputElement>>('nameInput');
  private readonly passcodeInput = viewChild.required<ElementRef<HTMLInputElement>>('passcodeInput');

  protected edit(field: Field, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    (field === 'name' ? this.name : this.passcode).set(value);
    this.serverErrors.update((errors) => ({ ...errors, [field]: undefined }));
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy()) return;
    this.touched.set(true);
    this.error.set('');
    const invalid = this.errors();
    if (invalid.name || invalid.passcode) {
      this.focusFirstInvalid(invalid);
      return;
    }
    this.busy.set(true);
    try {
      const response = await this.api.signIn(this.name().trim(), this.passcode());
      this.session.save(response);
      await this.router.navigateByUrl('/console');
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : null;
      const details = (failure?.details ?? {}) as Partial<Record<Field, string>>;
      this.serverErrors.set({ name: details.name, passcode: details.passcode });
      if (details.name || details.passcode) this.focusFirstInvalid(details);
      else this.error.set(failure?.message ?? 'Something went wrong. Please try again.');
    } finally {
      this.busy.set(false);
    }
  }

  private focusFirstInvalid(errors: Partial<Record<Field, string>>): void {
    (errors.name ? this.nameInput() : this.passcodeInput()).nativeElement.focus();
  }
}
