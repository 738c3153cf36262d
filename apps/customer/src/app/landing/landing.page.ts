import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'sk-landing-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="landing" aria-labelledby="landing-title">
      <h1 id="landing-title">Need a hand?</h1>
      <p>Talk face to face with one of our representatives. You will need a camera and a microphone.</p>
      <button type="button">Talk to a Representative</button>
    </section>
  `,
  styles: `
    .landing {
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
      padding: 2rem 1.5rem;
      text-align: center;
    }
  `,
})
export class LandingPage {}
