import { ChangeDetectionStrategy, Component, computed, inject, OnDestroy, OnInit, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ServiceStatusResponse } from '@servicekit/contracts';
import { ServiceKitApi } from '@servicekit/web/data-access';
import { waitText } from '../wait-text';

@Component({
  selector: 'sk-landing-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <section class="landing" aria-labelledby="landing-title">
      <h1 id="landing-title">Need a hand?</h1>
      <p>Talk face to face with one of our representatives. You will need a camera and a microphone.</p>
      <p class="status" aria-live="polite" data-testid="service-status">{{ statusText() }}</p>
      <a class="button" routerLink="/help" role="button" data-testid="talk-to-rep">Talk to a Representative</a>
    </section>
  `,
  styles: `
    .landing {
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
      padding: 2rem 1.5rem;
      text-align: center;
    }
    .status {
      color: var(--sk-muted);
    }
    .button {
      display: inline-block;
      border-radius: var(--sk-radius);
      padding: 0.6rem 1.2rem;
      background: var(--sk-accent);
      color: var(--sk-accent-fg);
      text-decoration: none;
    }
  `,
})
export class LandingPage implements OnInit, OnDestroy {
  private readonly api = inject(ServiceKitApi);
  private readonly status = signal<ServiceStatusResponse | null>(null);
  private readonly failed = signal(false);
  private timer: ReturnType<typeof setInterval> | null = null;

  protected readonly statusText = computed(() => {
    const status = this.status();
    if (this.failed()) return 'We cannot check who is available right now, but you can still ask.';
    if (!status) return 'Checking who is available…';
    if (status.repsOnline === 0) return 'No representatives are online right now. You can still ask; we will connect you when one is free.';
    const reps = status.repsOnline === 1 ? '1 representative is online.' : `${status.repsOnline} representatives are online.`;
    return `${reps} ${waitText(status.estimatedWaitMs)}`;
  });

  ngOnInit(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), 15_000);
  }

  ngOnDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    try {
      this.status.set(await this.api.status());
      this.failed.set(false);
    } catch {
      this.failed.set(true);
    }
  }
}
