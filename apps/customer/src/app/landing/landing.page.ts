import { ChangeDetectionStrategy, Component, computed, inject, OnDestroy, OnInit, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ServiceStatusResponse } from '@servicekit/contracts';
import { ServiceKitApi } from '@servicekit/web/data-access';
import { openingTime } from '../opening-time';
import { waitText } from '../wait-text';

/**
 * The first page: before anything is typed it says whether the service is open, closed (and when it opens,
 * in the customer's time zone), paused, open with nobody online, or very busy (`GET /api/status`), and offers
 * a video call or a callback request accordingly.
 */
@Component({
  selector: 'sk-landing-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <section class="landing" aria-labelledby="landing-title" [attr.data-availability]="availability()">
      <h1 id="landing-title" i18n="@@landing.title">Need a hand?</h1>
      <p i18n="@@landing.intro">Talk face to face with one of our representatives. You will need a camera and a microphone.</p>
      <p class="status" aria-live="polite" data-testid="service-status">
        @if (failed()) {
          <ng-container i18n="@@landing.statusUnknown">We cannot check who is available right now, but you can still ask.</ng-container>
        } @else {
          @switch (availability()) {
            @case (null) {
              <ng-container i18n="@@landing.checking">Checking who is available…</ng-container>
            }
            @case ('closed') {
              <ng-container i18n="@@landing.closed">We are closed right now.</ng-container>
              @if (opensAt(); as opens) {
                <ng-container i18n="@@landing.opensAt"
                  >We open again on <strong data-testid="opens-at">{{ opens }}</strong> (your time).</ng-container
                >
              }
              <ng-container i18n="@@landing.closedCallback">You can leave a callback request and we will get back to you.</ng-container>
            }
            @case ('intake_paused') {
              <ng-container i18n="@@landing.paused"
                >We are not taking new video calls at the moment. Leave a callback request and we will get back to you.</ng-container
              >
            }
            @case ('busy') {
              <ng-container i18n="@@landing.busy"
                >We are very busy right now. Leave a callback request and we will get back to you as soon as we can.</ng-container
              >
            }
            @case ('no_rep_online') {
              <ng-container i18n="@@landing.noRepOnline"
                >No representative is online right now. You can wait for one, or leave a callback request.</ng-container
              >
            }
            @default {
              @if (repsOnline() === 1) {
                <ng-container i18n="@@landing.oneRepOnline">1 representative is online.</ng-container>
              } @else {
                <ng-container i18n="@@landing.repsOnline">{{ repsOnline() }} representatives are online.</ng-container>
              }
              {{ wait() }}
            }
          }
        }
      </p>
      <div class="actions">
        @if (canQueue()) {
          <a class="button" routerLink="/help" role="button" data-testid="talk-to-rep" i18n="@@landing.talk">Talk to a Representative</a>
        }
        <a
          [class]="canQueue() ? 'button secondary' : 'button'"
          routerLink="/callback"
          role="button"
          data-testid="leave-callback"
          i18n="@@landing.leaveCallback"
          >Leave a callback request</a
        >
      </div>
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
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      justify-content: center;
    }
    .button {
      display: inline-block;
      border-radius: var(--sk-radius);
      padding: 0.6rem 1.2rem;
      background: var(--sk-accent);
      color: var(--sk-accent-fg);
      text-decoration: none;
    }
    .button.secondary {
      background: transparent;
      color: #1f2328;
      border: 1px solid #57606a;
    }
  `,
})
export class LandingPage implements OnInit, OnDestroy {
  private readonly api = inject(ServiceKitApi);
  private readonly status = signal<ServiceStatusResponse | null>(null);
  protected readonly failed = signal(false);
  private timer: ReturnType<typeof setInterval> | null = null;

  protected readonly availability = computed(() => this.status()?.availability ?? null);
  protected readonly repsOnline = computed(() => this.status()?.repsOnline ?? 0);
  protected readonly wait = computed(() => waitText(this.status()?.estimatedWaitMs ?? null));
  protected readonly opensAt = computed(() => {
    const opensAt = this.status()?.opensAt;
    return opensAt ? openingTime(opensAt) : null;
  });
  /** A video call can be asked for: open (with or without a rep online), or when the status is unknown. */
  protected readonly canQueue = computed(() => {
    const availability = this.availability();
    return availability === null || availability === 'open' || availability === 'no_rep_online';
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
