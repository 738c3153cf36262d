import { ChangeDetectionStrategy, Component, inject, OnInit, signal, viewChild } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { type RepSessionResponse, type RepSignInOptions, SSO_ERRORS, type SsoError } from '@servicekit/contracts';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { RepSessionStore } from '../rep-session.store';
import { SignInFormComponent, SignInFormKind } from './sign-in-form.component';

/** The passcode alone until the server says otherwise (an older server, or no answer yet). */
const PASSCODE_ONLY: RepSignInOptions = { passcode: true, accounts: false, sso: null };

interface FormState {
  busy: boolean;
  error: string;
  fieldErrors: Record<string, string | undefined>;
}

const IDLE: FormState = { busy: false, error: '', fieldErrors: {} };

/**
 * The ways in this deployment offers: single sign-on ("Sign in with <provider>"), a personal account, the
 * team passcode. On success the console (or the operators' page, for a supervisor who came from there).
 */
@Component({
  selector: 'sk-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [SignInFormComponent],
  template: `
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title" tabindex="-1">Sign in to take customers</h1>
      @if (session.notice(); as notice) {
        <p class="notice" role="status">{{ notice }}</p>
      }
      @if (ssoError(); as message) {
        <p class="error" role="alert" data-testid="sso-error">{{ message }}</p>
      }
      @if (options(); as options) {
        @if (options.sso; as sso) {
          <a class="sso" [href]="api.ssoUrl" data-testid="sso-sign-in">Sign in with {{ sso.providerName }}</a>
        }
        @if (options.accounts) {
          @if (options.sso) {
            <h2 id="account-title">Or with your account</h2>
          } @else {
            <p id="account-title">Sign in with your login and password.</p>
          }
          <sk-sign-in-form
            #accountForm
            kind="account"
            labelledBy="account-title"
            [busy]="states().account.busy"
            [error]="states().account.error"
            [fieldErrors]="states().account.fieldErrors"
            (submitted)="signIn('account', $event)"
          />
        }
        @if (options.passcode) {
          @if (options.sso || options.accounts) {
            <h2 id="passcode-title">Or with the team passcode</h2>
          } @else {
            <p id="passcode-title">Representatives sign in with their display name and the team passcode.</p>
          }
          <sk-sign-in-form
            #passcodeForm
            kind="passcode"
            labelledBy="passcode-title"
            [busy]="states().passcode.busy"
            [error]="states().passcode.error"
            [fieldErrors]="states().passcode.fieldErrors"
            (submitted)="signIn('passcode', $event)"
          />
        }
        @if (!options.sso && !options.accounts && !options.passcode) {
          <p class="error" role="alert">No way of signing in is configured here. Ask your administrator (docs/identity.md).</p>
        }
      } @else {
        <p role="status">Loading…</p>
      }
    </section>
  `,
  styles: `
    .sign-in {
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
      padding: 2rem 1.5rem;
      max-width: 28rem;
      margin: 0 auto;
      display: grid;
      gap: 1rem;
    }
    h1 {
      margin: 0;
      font-size: 1.5rem;
    }
    h1:focus {
      outline: none;
    }
    h2 {
      margin: 0.5rem 0 0;
      font-size: 1.1rem;
    }
    p {
      margin: 0;
    }
    .sso {
      display: block;
      text-align: center;
      padding: 0.65rem 1rem;
      border-radius: var(--sk-radius);
      background: var(--sk-accent);
      color: var(--sk-accent-fg);
      font-weight: 600;
      text-decoration: none;
    }
    .sso:focus-visible {
      outline: 3px solid #f2cc60;
      outline-offset: 2px;
    }
    .notice {
      padding: 0.5rem 0.75rem;
      border-left: 4px solid var(--sk-accent);
      background: var(--sk-page);
    }
    .error {
      color: var(--sk-danger);
    }
  `,
})
export class SignInPage implements OnInit {
  protected readonly api = inject(ServiceKitApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly session = inject(RepSessionStore);

  protected readonly options = signal<RepSignInOptions | null>(null);
  protected readonly ssoError = signal<string | null>(null);
  protected readonly states = signal<Record<SignInFormKind, FormState>>({ passcode: IDLE, account: IDLE });
  private readonly passcodeForm = viewChild<SignInFormComponent>('passcodeForm');
  private readonly accountForm = viewChild<SignInFormComponent>('accountForm');

  ngOnInit(): void {
    void this.init();
  }

  private async init(): Promise<void> {
    const query = this.route.snapshot.queryParamMap;
    const error = query.get('sso_error');
    if (error) this.ssoError.set(error in SSO_ERRORS ? SSO_ERRORS[error as SsoError] : SSO_ERRORS.failed);
    if (query.get('signed-in') === 'sso') {
      // Back from the provider: the session is in the cookie; fetch it (and a token for the socket).
      try {
        await this.enter(await this.api.currentSession());
        return;
      } catch (failure) {
        this.ssoError.set(failure instanceof ApiFailure ? failure.message : SSO_ERRORS.failed);
      }
    }
    try {
      this.options.set(await this.api.signInOptions());
    } catch {
      this.options.set(PASSCODE_ONLY);
    }
  }

  protected async signIn(kind: SignInFormKind, [first, second]: [string, string]): Promise<void> {
    if (this.states()[kind].busy) return;
    this.update(kind, { busy: true, error: '', fieldErrors: {} });
    try {
      const response = kind === 'account' ? await this.api.signInWithAccount(first, second) : await this.api.signIn(first, second);
      this.update(kind, IDLE);
      await this.enter(response);
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : null;
      const fieldErrors = failure?.details ?? {};
      const fields = Object.keys(fieldErrors);
      this.update(kind, {
        busy: false,
        error: fields.length > 0 ? '' : (failure?.message ?? 'Something went wrong. Please try again.'),
        fieldErrors,
      });
      const form = kind === 'account' ? this.accountForm() : this.passcodeForm();
      if (fields.length > 0) form?.focus(fields.includes('name') || fields.includes('login') ? 0 : 1);
    }
  }

  private async enter(response: RepSessionResponse): Promise<void> {
    this.session.save(response);
    const next = this.route.snapshot.queryParamMap.get('next');
    await this.router.navigateByUrl(next === 'ops' && response.roles.includes('supervisor') ? '/ops' : '/console');
  }

  private update(kind: SignInFormKind, state: FormState): void {
    this.states.update((states) => ({ ...states, [kind]: state }));
  }
}
