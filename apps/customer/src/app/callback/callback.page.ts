import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { CallbackRequestCreated } from '@servicekit/contracts';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { type CallbackFields, CallbackFormComponent } from './callback-form.component';
import { CallbackSentComponent } from './callback-sent.component';
import { errorText } from '../error-text';

/** `/callback`: a callback request straight from the landing page (closed, paused, busy, or by choice). */
@Component({
  selector: 'sk-callback-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CallbackFormComponent, CallbackSentComponent, RouterLink],
  template: `
    <section class="card" aria-labelledby="callback-title">
      @if (sent(); as sent) {
        <h1 id="callback-title" i18n="@@callback.sentTitle">Your callback request is in</h1>
        <sk-callback-sent [deleteBy]="sent.deleteBy" />
        <a routerLink="/" i18n="@@callback.backToStart">Back to the start</a>
      } @else {
        <h1 id="callback-title" i18n="@@callback.title">Leave a callback request</h1>
        <sk-callback-form
          [(name)]="name"
          [(problem)]="problem"
          [busy]="busy()"
          [serverErrors]="fieldErrors()"
          [error]="error()"
          (send)="send($event)"
        />
      }
    </section>
  `,
  styles: `
    .card {
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
      padding: 1.5rem;
    }
    h1 {
      margin-top: 0;
      font-size: 1.5rem;
    }
    a {
      color: #0b57d0;
    }
  `,
})
export class CallbackPage {
  private readonly api = inject(ServiceKitApi);
  protected readonly name = signal('');
  protected readonly problem = signal('');
  protected readonly busy = signal(false);
  protected readonly fieldErrors = signal<Record<string, string>>({});
  protected readonly error = signal<string | null>(null);
  protected readonly sent = signal<CallbackRequestCreated | null>(null);

  protected async send(fields: CallbackFields): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      this.sent.set(await this.api.createCallback(fields));
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : null;
      this.fieldErrors.set(failure?.details ?? {});
      this.error.set(failure && Object.keys(failure.details).length > 0 ? null : errorText(error));
    } finally {
      this.busy.set(false);
    }
  }
}
