import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import type { RepChosenStatus, RepStatusResponse } from '@servicekit/contracts';
import { RepDeskApi } from '@servicekit/web/data-access';
import { RepSessionStore } from '../rep-session.store';

const LABELS: Readonly<Record<RepStatusResponse['status'], string>> = {
  available: 'Available',
  away: 'Away: you are not offered customers',
  'in-call': 'In a call',
  'wrap-up': 'Wrap-up',
};

/**
 * The rep's status in the console header: Available or Away (a radio pair, arrow keys move between them), what
 * the server says now (in a call, wrap-up with its countdown), read again whenever a call starts or ends.
 */
@Component({
  selector: 'sk-rep-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div
      class="rep-status"
      [class.holding]="holding()"
      role="radiogroup"
      aria-label="Your status"
      data-testid="rep-status"
      [attr.data-status]="status()?.status"
    >
      <label>
        <input
          type="radio"
          name="rep-status"
          value="available"
          [checked]="chosen() === 'available'"
          [disabled]="busy()"
          (change)="choose('available')"
        />
        Available
      </label>
      <label>
        <input type="radio" name="rep-status" value="away" [checked]="chosen() === 'away'" [disabled]="busy()" (change)="choose('away')" />
        Away
      </label>
      <span
        class="now"
        [class.visually-hidden-narrow]="holding()"
        [class.now--away]="status()?.status === 'away'"
        aria-live="polite"
        data-testid="rep-status-now"
        >{{ label() }}</span
      >
      @if (secondsLeft() !== null) {
        <span class="left" role="timer" data-testid="rep-wrap-up-left">{{ secondsLeft() }} s left</span>
      }
    </div>
    @if (error()) {
      <p class="status-error" role="alert">{{ error() }}</p>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    .rep-status {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.75rem;
    }
    label {
      display: inline-flex;
      align-items: center;
      gap: 0.3rem;
      cursor: pointer;
    }
    input {
      width: 1.15rem;
      height: 1.15rem;
      margin: 0;
    }
    .now {
      font-weight: 600;
    }
    .now--away {
      color: var(--sk-danger);
    }
    .left {
      font-variant-numeric: tabular-nums;
    }
    /* On a phone in a call the call screen needs the height: the choice waits for the call's end (the page's
       heading says "In a call"; the status stays announced to screen readers). */
    @media (max-width: 40rem) {
      .holding label {
        display: none;
      }
    }
    .status-error {
      flex-basis: 100%;
      margin: 0;
      color: var(--sk-danger);
    }
  `,
})
export class RepStatusComponent {
  private readonly desk = inject(RepDeskApi);
  private readonly session = inject(RepSessionStore);

  /** The console holds a reservation or a call: the status is read again whenever this changes. */
  readonly holding = input(false);

  protected readonly status = signal<RepStatusResponse | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** When the wrap-up ends, by this page's clock. */
  private readonly wrapUpEndsAt = signal<number | null>(null);
  private readonly now = signal(Date.now());

  protected readonly chosen = computed(() => this.status()?.chosen ?? null);
  protected readonly label = computed(() => {
    const status = this.status();
    return status ? LABELS[status.status] : 'Reading your status…';
  });
  protected readonly secondsLeft = computed(() => {
    const endsAt = this.wrapUpEndsAt();
    return endsAt === null ? null : Math.max(0, Math.ceil((endsAt - this.now()) / 1000));
  });

  constructor() {
    const timer = setInterval(() => this.tick(), 250);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
    effect(() => {
      this.holding();
      untracked(() => void this.read());
    });
  }

  protected async choose(status: RepChosenStatus): Promise<void> {
    const token = this.session.current()?.token;
    if (!token) return;
    this.busy.set(true);
    try {
      this.show(await this.desk.setStatus(token, status));
    } catch (error) {
      this.error.set((error as Error).message);
    } finally {
      this.busy.set(false);
    }
  }

  private async read(): Promise<void> {
    const token = this.session.current()?.token;
    if (!token) return;
    try {
      this.show(await this.desk.status(token));
    } catch (error) {
      this.error.set((error as Error).message);
    }
  }

  private show(status: RepStatusResponse): void {
    this.error.set(null);
    this.status.set(status);
    this.now.set(Date.now());
    this.wrapUpEndsAt.set(status.status === 'wrap-up' && status.wrapUpMsLeft !== undefined ? Date.now() + status.wrapUpMsLeft : null);
  }

  private tick(): void {
    const endsAt = this.wrapUpEndsAt();
    if (endsAt === null) return;
    this.now.set(Date.now());
    if (Date.now() >= endsAt) {
      this.wrapUpEndsAt.set(null);
      void this.read();
    }
  }
}
