import { ChangeDetectionStrategy, Component, computed, ElementRef, input, output, signal, viewChild } from '@angular/core';
import { ACCOUNT_SIGN_IN_FIELDS, formErrors, REP_SIGN_IN_FIELDS } from '@servicekit/contracts';

/** The two ways in with something typed: the team passcode (name + passcode) or a personal account. */
export type SignInFormKind = 'passcode' | 'account';

interface FieldSpec {
  key: string;
  id: string;
  label: string;
  type: 'text' | 'password';
  autocomplete: string;
}

const FORMS = {
  passcode: {
    rules: REP_SIGN_IN_FIELDS,
    fields: [
      { key: 'name', id: 'rep-name', label: 'Display name', type: 'text', autocomplete: 'name' },
      { key: 'passcode', id: 'rep-passcode', label: 'Passcode', type: 'password', autocomplete: 'current-password' },
    ],
    submit: 'rep-sign-in',
  },
  account: {
    rules: ACCOUNT_SIGN_IN_FIELDS,
    fields: [
      { key: 'login', id: 'rep-login', label: 'Login', type: 'text', autocomplete: 'username' },
      { key: 'password', id: 'rep-password', label: 'Password', type: 'password', autocomplete: 'current-password' },
    ],
    submit: 'rep-account-sign-in',
  },
} as const satisfies Record<SignInFormKind, { rules: object; fields: readonly FieldSpec[]; submit: string }>;

/** Two fields, checked with the server's own rules before anything is sent; the page does the signing in. */
@Component({
  selector: 'sk-sign-in-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form novalidate (submit)="submit($event)" [attr.aria-labelledby]="labelledBy()">
      @for (field of form().fields; track field.id; let i = $index) {
        <div class="field">
          <label [for]="field.id">{{ field.label }}</label>
          <input
            #input
            [id]="field.id"
            [name]="field.key"
            [type]="field.type"
            [attr.data-testid]="field.id"
            [attr.autocomplete]="field.autocomplete"
            [attr.autocapitalize]="field.type === 'text' && kind() === 'account' ? 'none' : null"
            [value]="values()[i]"
            (input)="edit(i, $event)"
            [attr.aria-invalid]="errorOf(field.key) ? true : null"
            [attr.aria-describedby]="errorOf(field.key) ? field.id + '-error' : null"
          />
          @if (errorOf(field.key); as message) {
            <p [id]="field.id + '-error'" class="field-error">{{ message }}</p>
          }
        </div>
      }
      <div role="alert" class="error" [attr.data-testid]="form().submit + '-error'">{{ error() }}</div>
      <button type="submit" [attr.data-testid]="form().submit" [disabled]="busy()">{{ busy() ? 'Signing in…' : 'Sign in' }}</button>
    </form>
  `,
  styles: `
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
    button {
      justify-self: start;
    }
  `,
})
export class SignInFormComponent {
  readonly kind = input.required<SignInFormKind>();
  readonly labelledBy = input<string | null>(null);
  readonly busy = input(false);
  /** What the server said, as a sentence (not about one field). */
  readonly error = input('');
  /** What the server said about fields, by field name. */
  readonly fieldErrors = input<Record<string, string | undefined>>({});
  readonly submitted = output<[string, string]>();

  protected readonly form = computed(() => FORMS[this.kind()]);
  protected readonly values = signal<[string, string]>(['', '']);
  private readonly touched = signal(false);
  private readonly edited = signal<Record<string, boolean>>({});
  private readonly localErrors = computed<Record<string, string | undefined>>(() => {
    if (!this.touched()) return {};
    const [first, second] = this.form().fields;
    const [a, b] = this.values();
    return formErrors({ [first.key]: a, [second.key]: b }, this.form().rules as Parameters<typeof formErrors>[1]) as Record<string, string>;
  });
  private readonly inputs = viewChild.required<ElementRef<HTMLInputElement>>('input');

  protected errorOf(key: string): string | undefined {
    return this.localErrors()[key] ?? (this.edited()[key] ? undefined : this.fieldErrors()[key]);
  }

  protected edit(index: number, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.values.update((values) => (index === 0 ? [value, values[1]] : [values[0], value]));
    const key = this.form().fields[index]?.key ?? '';
    this.edited.update((edited) => ({ ...edited, [key]: true }));
  }

  protected submit(event: Event): void {
    event.preventDefault();
    if (this.busy()) return;
    this.touched.set(true);
    this.edited.set({});
    const invalid = this.form().fields.findIndex((field) => this.localErrors()[field.key]);
    if (invalid >= 0) {
      this.focus(invalid);
      return;
    }
    const [a, b] = this.values();
    this.submitted.emit([a.trim(), b]);
  }

  /** Focuses the field at `index` (0 or 1). */
  focus(index: number): void {
    const first = this.inputs().nativeElement;
    const form = first.form;
    const target = index === 0 ? first : (form?.querySelectorAll('input')[1] ?? first);
    target.focus();
  }
}
