import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { PAUSE_MAX_MINUTES, type IntakeStateResponse } from '@servicekit/contracts';

/** How long a pause may last, for the supervisor to choose; the longest is the API's maximum. */
export const PAUSE_CHOICES: readonly { minutes: number; label: string }[] = [
  { minutes: 30, label: '30 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 120, label: '2 hours' },
  { minutes: 240, label: '4 hours' },
  { minutes: PAUSE_MAX_MINUTES, label: '12 hours (the longest)' },
];

/**
 * The intake switch: whether new customers can join the queue, and pause (after a confirmation that says
 * what it means) or resume. Waiting customers are served either way.
 */
@Component({
  selector: 'sk-intake-control',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 id="intake-title">Intake</h2>
    <p class="state" data-testid="intake-state" [class.paused]="state()?.paused">
      @if (!state()) {
        Loading…
      } @else if (state()?.paused) {
        Paused{{ until() }}
      } @else {
        Open to new customers
      }
    </p>
    @if (state()?.paused) {
      <p class="meaning">Waiting customers are still served; new customers see the closed message.</p>
      <button type="button" data-testid="intake-resume" [disabled]="busy()" (click)="resumeRequest.emit()">Resume intake</button>
    } @else if (confirming()) {
      <div class="confirm" role="group" aria-labelledby="intake-confirm-title" data-testid="intake-confirm">
        <p id="intake-confirm-title">
          <strong>Pause intake?</strong> Waiting customers are still served; new customers see the closed message.
        </p>
        <label>
          For
          <select data-testid="intake-minutes" (change)="minutes.set(+$any($event.target).value)">
            @for (choice of choices; track choice.minutes) {
              <option [value]="choice.minutes" [selected]="choice.minutes === minutes()">{{ choice.label }}</option>
            }
          </select>
        </label>
        <div class="actions">
          <button #confirmButton type="button" data-testid="intake-pause-confirm" [disabled]="busy()" (click)="confirm()">
            Pause intake
          </button>
          <button type="button" class="secondary" data-testid="intake-pause-cancel" (click)="cancel()">Cancel</button>
        </div>
      </div>
    } @else if (state()) {
      <p class="meaning">A pause keeps serving the waiting customers; new customers see the closed message.</p>
      <button #pauseButton type="button" class="secondary" data-testid="intake-pause" [disabled]="busy()" (click)="ask()">
        Pause intake…
      </button>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    h2 {
      margin: 0;
      font-size: 1rem;
      color: var(--sk-muted);
    }
    p {
      margin: 0 0 0.5rem;
    }
    .state {
      font-size: 1.15rem;
      font-weight: 700;
      color: #1a7f37;
    }
    .state.paused {
      color: var(--sk-danger);
    }
    .meaning {
      font-size: 0.9rem;
    }
    .confirm {
      border-left: 4px solid var(--sk-danger);
      padding: 0.5rem 0.75rem;
      background: var(--sk-surface);
    }
    label {
      display: inline-flex;
      gap: 0.5rem;
      align-items: center;
      margin-bottom: 0.5rem;
    }
    select {
      font: inherit;
      padding: 0.2rem;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    button {
      padding: 0.4rem 0.9rem;
    }
    .secondary {
      background: var(--sk-surface);
      color: var(--sk-accent);
      border: 1px solid var(--sk-accent);
    }
  `,
})
export class IntakeControlComponent {
  readonly state = input.required<IntakeStateResponse | null>();
  readonly busy = input(false);
  readonly pauseRequest = output<number>();
  readonly resumeRequest = output<void>();

  protected readonly choices = PAUSE_CHOICES;
  protected readonly confirming = signal(false);
  protected readonly minutes = signal(60);
  private readonly injector = inject(Injector);
  private readonly confirmButton = viewChild<ElementRef<HTMLButtonElement>>('confirmButton');
  private readonly pauseButton = viewChild<ElementRef<HTMLButtonElement>>('pauseButton');

  protected readonly until = computed(() => {
    const until = this.state()?.pausedUntil;
    return until ? ` until ${new Date(until).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}` : '';
  });

  protected ask(): void {
    this.confirming.set(true);
    this.focusLater(() => this.confirmButton());
  }

  protected confirm(): void {
    this.confirming.set(false);
    this.pauseRequest.emit(this.minutes());
  }

  protected cancel(): void {
    this.confirming.set(false);
    this.focusLater(() => this.pauseButton());
  }

  private focusLater(target: () => ElementRef<HTMLElement> | undefined): void {
    afterNextRender(() => target()?.nativeElement.focus(), { injector: this.injector });
  }
}
