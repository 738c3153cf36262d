import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { characterCount, FEEDBACK_COMMENT_MAX } from '@servicekit/contracts';
import type { FeedbackState } from './help.store';
import { characterHint } from '../field-errors';

/** After a call: an optional comment, then one tap on a rating from 1 to 5 sends both; skipping is one tap too. */
@Component({
  selector: 'sk-feedback',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @switch (state()) {
      @case ('sent') {
        <p role="status" data-testid="feedback-thanks" i18n="@@feedback.thanks">Thank you for your rating.</p>
      }
      @case ('skipped') {}
      @default {
        <form class="feedback" data-testid="feedback" (submit)="$event.preventDefault()">
          <div class="field">
            <label for="feedback-comment" i18n="@@feedback.comment">Anything you want to tell us? (optional)</label>
            <textarea
              id="feedback-comment"
              rows="2"
              [value]="comment()"
              (input)="comment.set($any($event.target).value)"
              [attr.aria-invalid]="tooLong() ? true : null"
              aria-describedby="feedback-comment-hint"
            ></textarea>
            <small id="feedback-comment-hint" [class.too-long]="tooLong()">{{ hint() }}</small>
          </div>
          <fieldset>
            <legend i18n="@@feedback.legend">How was the call? One tap sends your rating.</legend>
            <div class="ratings">
              @for (rating of ratings; track rating) {
                <button
                  type="button"
                  class="rating"
                  [attr.data-testid]="'rate-' + rating"
                  [attr.aria-label]="ratingLabel(rating)"
                  [disabled]="state() === 'sending' || tooLong()"
                  (click)="rate.emit({ rating, comment: comment() })"
                >
                  {{ rating }}
                </button>
              }
            </div>
            <p class="scale" aria-hidden="true">
              <span i18n="@@feedback.poor">1 poor</span><span i18n="@@feedback.veryGood">5 very good</span>
            </p>
          </fieldset>
          @if (error(); as message) {
            <p class="error" role="alert">{{ message }}</p>
          }
          <button type="button" class="skip" data-testid="skip-feedback" (click)="skip.emit()" i18n="@@feedback.skip">No thanks</button>
        </form>
      }
    }
  `,
  styles: `
    .feedback {
      margin: 1rem 0;
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
      margin-bottom: 0.5rem;
    }
    textarea {
      font: inherit;
      padding: 0.5rem;
      border: 1px solid #8c959f;
      border-radius: var(--sk-radius);
    }
    small {
      color: var(--sk-muted);
    }
    .too-long,
    .error {
      color: var(--sk-danger);
    }
    fieldset {
      border: none;
      margin: 0;
      padding: 0;
    }
    legend {
      font-weight: 600;
      margin-bottom: 0.5rem;
    }
    .ratings {
      display: flex;
      gap: 0.5rem;
    }
    .rating {
      flex: 1 1 0;
      max-width: 4rem;
      min-height: 2.75rem;
      font-weight: 700;
    }
    .scale {
      display: flex;
      justify-content: space-between;
      max-width: 22rem;
      margin: 0.25rem 0 0;
      color: var(--sk-muted);
      font-size: 0.875rem;
    }
    .skip {
      margin-top: 0.75rem;
      background: transparent;
      color: #1f2328;
      border: 1px solid #57606a;
    }
  `,
})
export class FeedbackComponent {
  readonly state = input.required<FeedbackState>();
  readonly error = input<string | null>(null);
  readonly rate = output<{ rating: number; comment: string }>();
  readonly skip = output<void>();

  protected readonly ratings = [1, 2, 3, 4, 5];
  protected readonly comment = signal('');
  protected readonly count = computed(() => characterCount(this.comment().trim()));
  protected readonly tooLong = computed(() => this.count() > FEEDBACK_COMMENT_MAX);
  protected readonly hint = computed(() => characterHint(this.count(), FEEDBACK_COMMENT_MAX));

  protected ratingLabel(rating: number): string {
    return $localize`:@@feedback.ratingLabel:${rating}:rating: of 5`;
  }
}
