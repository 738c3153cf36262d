import { afterRenderEffect, ChangeDetectionStrategy, Component, ElementRef, inject, input, output } from '@angular/core';
import type { CallbackOutcome, CallbackSummary, ClaimedCallback } from '@servicekit/contracts';

export interface CallbackClose {
  id: string;
  outcome: CallbackOutcome;
}

/**
 * Callback requests beside the queue: the ones this rep took (with the phone as a `tel:` link and the
 * email as a `mailto:` link, and Done / Not reached), then the open ones oldest first with Claim. The
 * customer's words are text, never HTML.
 */
@Component({
  selector: 'sk-callbacks-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 id="callbacks-title">Callback requests</h2>
    <p class="line" role="status" data-testid="callbacks-notice">{{ notice() }}</p>
    <p class="line error" role="alert" data-testid="callbacks-error">{{ error() }}</p>

    @if (mine().length > 0) {
      <h3>Yours to call</h3>
      <ul class="mine">
        @for (request of mine(); track request.id) {
          <li tabindex="-1" [attr.data-callback]="request.id">
            <p class="head">
              <strong class="name">{{ request.customerName }}</strong>
              <time [attr.datetime]="request.requestedAt" [title]="at(request)">{{ ago(request) }}</time>
            </p>
            <p class="problem">{{ request.problemText }}</p>
            <p class="contact">
              @if (request.phone; as phone) {
                <a data-testid="callback-phone" [href]="telHref(phone)">{{ phone }}</a>
              }
              @if (request.email; as email) {
                <a data-testid="callback-email" [href]="'mailto:' + email">{{ email }}</a>
              }
            </p>
            <div class="actions">
              <button
                type="button"
                data-testid="callback-done"
                [attr.aria-label]="'Done: ' + request.customerName"
                [disabled]="busy() !== null"
                (click)="closeRequest.emit({ id: request.id, outcome: 'done' })"
              >
                Done
              </button>
              <button
                type="button"
                class="secondary"
                data-testid="callback-not-reached"
                [attr.aria-label]="'Not reached: ' + request.customerName"
                [disabled]="busy() !== null"
                (click)="closeRequest.emit({ id: request.id, outcome: 'not_reached' })"
              >
                Not reached
              </button>
            </div>
          </li>
        }
      </ul>
    }

    <h3>Open, oldest first</h3>
    <ul class="open" data-testid="callbacks-open">
      @for (request of open(); track request.id) {
        <li [attr.data-callback]="request.id">
          <div class="text">
            <p class="head">
              <strong class="name">{{ request.customerName }}</strong>
              <time [attr.datetime]="request.requestedAt" [title]="at(request)">{{ ago(request) }}</time>
            </p>
            <p class="problem">{{ request.problemText }}</p>
          </div>
          <button
            type="button"
            data-testid="callback-claim"
            [attr.aria-label]="'Claim the request of ' + request.customerName"
            [disabled]="busy() !== null"
            (click)="claim.emit(request.id)"
          >
            Claim
          </button>
        </li>
      } @empty {
        <li class="empty">{{ loaded() ? 'No open requests.' : 'Loading…' }}</li>
      }
    </ul>
  `,
  styles: `
    :host {
      display: block;
      padding: 0.75rem 1rem;
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
      border-left: 4px solid var(--sk-accent);
    }
    :host([hidden]) {
      display: none;
    }
    h2 {
      margin: 0;
      font-size: 1.1rem;
    }
    h3 {
      margin: 0.5rem 0 0.25rem;
      font-size: 0.9rem;
      color: var(--sk-muted);
    }
    p {
      margin: 0;
    }
    .line:empty {
      display: none;
    }
    .error {
      color: var(--sk-danger);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .open {
      max-height: min(18rem, 40vh);
      overflow-y: auto;
    }
    li {
      padding: 0.5rem 0;
      border-top: 1px solid #d0d7de;
    }
    .open li {
      display: flex;
      align-items: center;
      gap: 0.75rem;
    }
    .text {
      flex: 1;
      min-width: 0;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: 0 0.75rem;
      align-items: baseline;
    }
    .name,
    .problem,
    .contact a {
      overflow-wrap: anywhere;
    }
    .problem {
      white-space: pre-wrap;
    }
    time,
    .empty {
      color: var(--sk-muted);
      font-size: 0.875rem;
    }
    .mine li:focus {
      outline: 3px solid #f2cc60;
      outline-offset: 2px;
    }
    .contact {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1.25rem;
      margin: 0.25rem 0;
      font-size: 1.1rem;
      font-weight: 600;
    }
    .contact a {
      color: var(--sk-accent);
    }
    .actions {
      display: flex;
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
export class CallbacksPanelComponent {
  readonly open = input.required<readonly CallbackSummary[]>();
  readonly mine = input.required<readonly ClaimedCallback[]>();
  readonly loaded = input(true);
  /** The clock the "… ago" counts from (the time of the last read). */
  readonly now = input.required<number>();
  readonly busy = input<string | null>(null);
  readonly notice = input<string | null>(null);
  readonly error = input<string | null>(null);
  /** A request just taken: focus goes to it, so the keyboard is at its phone or email. */
  readonly focusOn = input<string | null>(null);
  readonly claim = output<string>();
  readonly closeRequest = output<CallbackClose>();

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  constructor() {
    afterRenderEffect(() => {
      const id = this.focusOn();
      if (id === null) return;
      const items = this.host.nativeElement.querySelectorAll<HTMLElement>('.mine li');
      Array.from(items)
        .find((item) => item.dataset['callback'] === id)
        ?.focus();
    });
  }

  protected ago(request: CallbackSummary): string {
    return requestedAgo(Date.parse(request.requestedAt), this.now());
  }

  protected at(request: CallbackSummary): string {
    return `Left ${new Date(request.requestedAt).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}`;
  }

  protected telHref(phone: string): string {
    return telHref(phone);
  }
}

/** "just now", "12 min ago", "3 h 05 min ago", "2 days ago". */
export function requestedAgo(requestedAt: number, now: number): string {
  const minutes = Math.max(0, Math.floor((now - requestedAt) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** A dialable `tel:` link: the digits with a leading + if the customer gave one (RFC 3966 global form). */
export function telHref(phone: string): string {
  const trimmed = phone.trim();
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${trimmed.replace(/\D/g, '')}`;
}
