import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'sk-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to take customers</h1>
      <p>Representatives sign in with their display name and the team passcode.</p>
    </section>
  `,
  styles: `
    .sign-in {
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
      padding: 2rem 1.5rem;
    }
  `,
})
export class SignInPage {}
