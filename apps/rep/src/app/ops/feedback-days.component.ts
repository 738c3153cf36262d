import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import type { FeedbackDay, OpsFeedbackResponse } from '@servicekit/contracts';

/**
 * Customers' ratings per day (how many, and the mean), newest first. The comments are free text and may hold
 * personal data: shown only when asked for, as text, with how long they are kept.
 */
@Component({
  selector: 'sk-feedback-days',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="head">
      <h2 id="feedback-title" tabindex="-1">Feedback per day</h2>
      @if (report(); as report) {
        <button
          type="button"
          class="secondary"
          data-testid="feedback-comments-toggle"
          aria-controls="feedback-comments"
          [attr.aria-expanded]="showComments()"
          (click)="showCommentsChange.emit(!showComments())"
        >
          {{ showComments() ? 'Hide comments' : 'Show comments' }}
        </button>
      }
    </div>
    @if (report(); as report) {
      <p class="note" id="feedback-retention">
        Ratings 1 (bad) to 5 (very good), without any link to the customer. Comments may hold personal data: they are deleted after
        {{ report.commentRetentionDays }} days.
      </p>
      <div class="table-scroll">
        <table data-testid="feedback-table" aria-describedby="feedback-retention">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Ratings</th>
              <th scope="col">Mean</th>
            </tr>
          </thead>
          <tbody>
            @for (day of report.days; track day.date) {
              <tr [attr.data-day]="day.date">
                <th scope="row">{{ dayLabel(day.date) }}</th>
                <td>{{ day.count }}</td>
                <td>{{ day.mean === null ? '—' : day.mean.toFixed(1) }}</td>
              </tr>
            } @empty {
              <tr>
                <td colspan="3" class="empty">No ratings yet.</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      <div id="feedback-comments" data-testid="feedback-comments" [hidden]="!showComments()">
        @if (showComments()) {
          <h3 class="comments-title">Comments</h3>
          @for (day of withComments(); track day.date) {
            <h3>{{ dayLabel(day.date) }}</h3>
            <ul>
              @for (entry of day.comments; track $index) {
                <li>
                  <span class="rating">{{ entry.rating }} of 5</span> {{ entry.comment }}
                </li>
              }
            </ul>
          } @empty {
            <p class="empty">{{ loadingComments() ? 'Loading comments…' : 'No comments in these days.' }}</p>
          }
        }
      </div>
    } @else {
      <p class="empty">Loading…</p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    h2 {
      margin: 0;
      font-size: 1.1rem;
    }
    h3 {
      margin: 0.75rem 0 0.25rem;
      font-size: 0.95rem;
    }
    .comments-title {
      font-size: 1rem;
      border-top: 1px solid #d0d7de;
      padding-top: 0.75rem;
    }
    h2:focus {
      outline: none;
    }
    .note,
    .empty {
      color: var(--sk-muted);
      font-size: 0.875rem;
    }
    .table-scroll {
      overflow-x: auto;
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      text-align: left;
      padding: 0.35rem 0.6rem;
      border-bottom: 1px solid #d0d7de;
    }
    thead th {
      background: var(--sk-page);
    }
    ul {
      margin: 0;
      padding-inline-start: 1.25rem;
    }
    li {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .rating {
      font-weight: 600;
      margin-inline-end: 0.4rem;
    }
    button {
      padding: 0.3rem 0.7rem;
    }
    .secondary {
      background: transparent;
      color: var(--sk-accent);
      border: 1px solid var(--sk-accent);
    }
  `,
})
export class FeedbackDaysComponent {
  readonly report = input.required<OpsFeedbackResponse | null>();
  readonly showComments = input(false);
  readonly showCommentsChange = output<boolean>();

  /** Comments asked for but the report in hand was read without them. */
  protected readonly loadingComments = computed(() => this.showComments() && !this.report()?.days.some((day) => day.comments));
  protected readonly withComments = computed<FeedbackDay[]>(() =>
    (this.report()?.days ?? []).filter((day) => (day.comments?.length ?? 0) > 0),
  );

  /** "Mon 2 Dec": the day as the service counts it (its own time zone), not moved into the reader's. */
  protected dayLabel(date: string): string {
    return new Date(`${date}T12:00:00Z`).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  }
}
