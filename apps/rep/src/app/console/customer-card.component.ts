import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { VerifiedContext } from '@servicekit/contracts';

/**
 * Who the rep is talking to and why. The name and problem are the customer's words: text only, never HTML.
 * A customer who came through the widget of a signed-in site may bring what that site vouched for: its
 * reference (an order or account number), and a name marked verified only if the customer kept it.
 */
@Component({
  selector: 'sk-customer-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 class="name">
      <span data-testid="customer-name">{{ name() }}</span>
      @if (verified()?.nameVerified) {
        <span class="verified" data-testid="name-verified">✓ verified by the website</span>
      }
    </h2>
    @if (verified()?.reference; as reference) {
      <p class="reference" data-testid="customer-reference">
        Reference <strong>{{ reference }}</strong> <span class="verified" data-testid="reference-verified">✓ verified by the website</span>
      </p>
    }
    <p class="label">Their problem</p>
    <p class="problem" data-testid="customer-problem">{{ problem() }}</p>
    <p class="waited">{{ waitedText() }}</p>
  `,
  styles: `
    :host {
      display: block;
      padding: 1rem;
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
      border-left: 4px solid var(--sk-accent);
    }
    .name {
      margin: 0;
      font-size: 1.25rem;
      overflow-wrap: anywhere;
    }
    .verified {
      display: inline-block;
      margin-inline-start: 0.5rem;
      padding: 0 0.4rem;
      border-radius: var(--sk-radius);
      background: #dafbe1;
      color: #116329;
      font-size: 0.8rem;
      font-weight: 600;
      vertical-align: middle;
    }
    .reference {
      margin: 0.25rem 0 0;
      overflow-wrap: anywhere;
    }
    .label {
      margin: 0.5rem 0 0;
      font-weight: 600;
      color: var(--sk-muted);
      font-size: 0.875rem;
    }
    .problem {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .waited {
      margin: 0.5rem 0 0;
      color: var(--sk-muted);
      font-size: 0.875rem;
    }
  `,
})
export class CustomerCardComponent {
  readonly name = input.required<string>();
  readonly problem = input.required<string>();
  readonly waitedMs = input(0);
  readonly verified = input<VerifiedContext | null>(null);

  protected readonly waitedText = computed(() => waitedText(this.waitedMs()));
}

export function waitedText(waitedMs: number): string {
  const minutes = Math.floor(waitedMs / 60_000);
  if (minutes < 1) return 'Waited less than a minute';
  return minutes === 1 ? 'Waited 1 minute' : `Waited ${minutes} minutes`;
}
