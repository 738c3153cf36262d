import { DOCUMENT } from '@angular/common';
import { HttpClient, HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { CallbackFigures, IntakeStateResponse, OpsFeedbackResponse, OpsRepEntry, OpsRepsResponse } from '@servicekit/contracts';
import { ApiFailure, RepDeskApi, ServiceKitApi } from '@servicekit/web/data-access';
import { exhaustMap, firstValueFrom, interval, startWith, Subscription } from 'rxjs';
import { RepSessionStore } from '../rep-session.store';
import { FeedbackDaysComponent } from './feedback-days.component';
import { IntakeControlComponent } from './intake-control.component';
import { formatDuration, OpsQueueView } from './ops-queue';

export const REFRESH_MS = 2500;
/** Feedback changes slowly: read it with every this many refreshes (and when comments are asked for). */
export const FEEDBACK_EVERY = 12;
export const FEEDBACK_DAYS = 7;

type Problem = { kind: 'access' | 'network' | 'server'; message: string };
/** Who may look: nobody signed in, a rep without the supervisor role, or a supervisor. */
type Access = 'checking' | 'signed-out' | 'not-supervisor' | 'supervisor';

const STATUS_LABELS: Readonly<Record<OpsRepEntry['status'], string>> = {
  available: 'Available',
  away: 'Away',
  'in-call': 'In a call',
  'wrap-up': 'Wrap-up',
};

/**
 * The supervisors' page: intake (pause and resume), the opening hours now and the callback counts; the live
 * queue (no names unless asked for), the reps signed in (status, call, since when, today's calls), all
 * refreshed every 2.5 s, and signing a rep out; the feedback per day (comments on demand). It uses the
 * supervisor's own sign-in (this tab's, or the session cookie); machines use OPS_TOKEN with the API instead.
 */
@Component({
  selector: 'sk-ops-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, IntakeControlComponent, FeedbackDaysComponent],
  templateUrl: './ops.page.html',
  styleUrl: './ops.page.css',
})
export class OpsPage implements OnInit {
  private readonly http = inject(HttpClient);
  private readonly api = inject(ServiceKitApi);
  private readonly desk = inject(RepDeskApi);
  private readonly document = inject(DOCUMENT);
  protected readonly session = inject(RepSessionStore);
  private polling: Subscription | null = null;
  private refreshes = 0;

  protected readonly access = signal<Access>('checking');
  protected readonly showNames = signal(false);
  protected readonly view = signal<OpsQueueView | null>(null);
  protected readonly reps = signal<OpsRepsResponse | null>(null);
  protected readonly intake = signal<IntakeStateResponse | null>(null);
  protected readonly intakeBusy = signal(false);
  /** What the last pause or resume did, in words. */
  protected readonly intakeNotice = signal<string | null>(null);
  protected readonly callbacks = signal<CallbackFigures | null>(null);
  protected readonly feedback = signal<OpsFeedbackResponse | null>(null);
  protected readonly showComments = signal(false);
  protected readonly problem = signal<Problem | null>(null);
  /** What the last sign-out of a rep did, for the screen reader and the eye. */
  protected readonly signOutNotice = signal<string | null>(null);
  protected readonly signingOut = signal<string | null>(null);
  protected readonly formatDuration = formatDuration;
  protected readonly statusLabel = (status: OpsRepEntry['status']) => STATUS_LABELS[status];

  protected readonly summary = computed(() => {
    const view = this.view();
    if (!view) return '';
    const waiting = view.queueLength === 1 ? '1 customer waiting' : `${view.queueLength} customers waiting`;
    const oldest = view.queueLength > 0 ? `, the longest for ${formatDuration(view.oldestWaitMs)}` : '';
    const reps = `${view.repsOnline} ${view.repsOnline === 1 ? 'rep' : 'reps'} online, ${view.repsBusy} busy`;
    const calls = view.callsInProgress === 1 ? '1 call in progress' : `${view.callsInProgress} calls in progress`;
    return `${waiting}${oldest}. ${reps}. ${calls}.`;
  });

  /** The newest day of the report: today in the service's time zone. */
  protected readonly feedbackToday = computed(() => this.feedback()?.days[0] ?? null);

  /** The opening hours now, and when closed, the next opening in the supervisor's own time zone. */
  protected readonly hours = computed(() => {
    const intake = this.intake();
    if (!intake) return '';
    if (intake.withinOpeningHours) return 'Open now';
    if (!intake.opensAt) return 'Closed now';
    const opensAt = new Date(intake.opensAt).toLocaleString([], {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    return `Closed now; opens ${opensAt}`;
  });

  protected readonly updatedAt = computed(() => {
    const view = this.view();
    return view ? new Date(view.generatedAt).toLocaleTimeString() : '';
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  ngOnInit(): void {
    void this.init();
  }

  private async init(): Promise<void> {
    if (!this.session.current()) {
      // No sign-in in this tab: the session cookie of another tab (or of single sign-on) may hold one.
      try {
        this.session.save(await this.api.currentSession());
      } catch {
        this.access.set('signed-out');
        return;
      }
    }
    this.decideAccess();
  }

  protected since(entry: OpsRepEntry): string {
    return new Date(entry.since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  protected toggleNames(show: boolean): void {
    this.showNames.set(show);
    // Ask at once: the table must not go on showing names after they were hidden (or lack them once asked).
    if (!show) {
      this.view.update(
        (view) =>
          view && {
            ...view,
            waiting: view.waiting.map(({ helpSessionId, position, waitedMs, connected }) => ({
              helpSessionId,
              position,
              waitedMs,
              connected,
            })),
          },
      );
    }
    this.start();
  }

  protected async signOutRep(entry: OpsRepEntry): Promise<void> {
    const token = this.session.current()?.token;
    if (!token || this.signingOut()) return;
    this.signingOut.set(entry.repId);
    try {
      await this.api.signOutRep(token, entry.repId);
      this.signOutNotice.set(`${entry.name} has been signed out.`);
      this.reps.update((reps) => reps && { ...reps, reps: reps.reps.filter((rep) => rep.repId !== entry.repId) });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 404) {
        this.signOutNotice.set(`${entry.name} was not signed in any more.`);
      } else {
        this.signOutNotice.set(error instanceof ApiFailure ? error.message : `${entry.name} could not be signed out. Try again.`);
      }
    } finally {
      this.signingOut.set(null);
    }
  }

  protected async pauseIntake(minutes: number): Promise<void> {
    await this.changeIntake(
      (token) => this.desk.pauseIntake(token, minutes),
      (state) => {
        const until = state.pausedUntil
          ? ` until ${new Date(state.pausedUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
          : '';
        return `Intake paused${until}.`;
      },
    );
  }

  protected async resumeIntake(): Promise<void> {
    await this.changeIntake(
      (token) => this.desk.resumeIntake(token),
      () => 'Intake resumed: new customers can join the queue again.',
    );
  }

  /** To the ratings per day further down, with the focus on their heading. */
  protected showFeedback(): void {
    const heading = this.document.getElementById('feedback-title');
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }

  protected toggleComments(show: boolean): void {
    this.showComments.set(show);
    // Hidden comments are dropped from the page at once; shown ones are read now, not at the next slow refresh.
    if (!show) this.feedback.update((report) => report && { ...report, days: report.days.map(({ comments: _, ...day }) => day) });
    void this.loadFeedback();
  }

  private async changeIntake(
    change: (token: string) => Promise<IntakeStateResponse>,
    said: (state: IntakeStateResponse) => string,
  ): Promise<void> {
    const token = this.session.current()?.token;
    if (!token || this.intakeBusy()) return;
    this.intakeBusy.set(true);
    try {
      const state = await change(token);
      this.intake.set(state);
      this.intakeNotice.set(said(state));
    } catch (error) {
      if (error instanceof ApiFailure && (error.status === 401 || error.status === 403)) this.handle(error);
      else this.intakeNotice.set(error instanceof ApiFailure ? error.message : 'Intake could not be changed. Try again.');
    } finally {
      this.intakeBusy.set(false);
    }
  }

  private decideAccess(): void {
    const session = this.session.current();
    if (!session) return this.access.set('signed-out');
    if (!session.roles.includes('supervisor')) return this.access.set('not-supervisor');
    this.access.set('supervisor');
    this.start();
  }

  private start(): void {
    this.stop();
    this.polling = interval(REFRESH_MS)
      .pipe(
        startWith(-1),
        exhaustMap(() => this.load()),
      )
      .subscribe();
  }

  private stop(): void {
    this.polling?.unsubscribe();
    this.polling = null;
  }

  private async load(): Promise<void> {
    const token = this.session.current()?.token;
    if (!token || this.access() !== 'supervisor') return;
    const url = this.showNames() ? '/api/ops/queue?pii=1' : '/api/ops/queue';
    const headers = new HttpHeaders({ Authorization: `Bearer ${token}` });
    const feedback = this.refreshes++ % FEEDBACK_EVERY === 0 ? this.loadFeedback() : Promise.resolve();
    try {
      const [view, reps, intake, callbacks] = await Promise.all([
        firstValueFrom(this.http.get<OpsQueueView>(url, { headers })),
        this.api.opsReps(token),
        this.desk.intake(token),
        this.desk.callbackFigures(token),
      ]);
      this.view.set(view);
      this.reps.set(reps);
      this.intake.set(intake);
      this.callbacks.set(callbacks);
      this.problem.set(null);
    } catch (error) {
      this.handle(error);
    }
    await feedback;
  }

  private async loadFeedback(): Promise<void> {
    const token = this.session.current()?.token;
    if (!token || this.access() !== 'supervisor') return;
    const comments = this.showComments();
    try {
      const report = await this.desk.feedback(token, FEEDBACK_DAYS, comments);
      // Asked while the comments were switched meanwhile: a later read brings the right kind.
      if (comments === this.showComments()) this.feedback.set(report);
    } catch (error) {
      this.handle(error);
    }
  }

  private handle(error: unknown): void {
    const status = error instanceof HttpErrorResponse || error instanceof ApiFailure ? error.status : 0;
    if (status === 401 || status === 403) {
      // The sign-in ended or lost its role: asking again will not help.
      const said = error instanceof ApiFailure ? error.message : (error as HttpErrorResponse).error?.message;
      this.stop();
      this.view.set(null);
      this.reps.set(null);
      this.intake.set(null);
      this.callbacks.set(null);
      this.feedback.set(null);
      if (status === 401) this.session.clear(typeof said === 'string' ? said : null);
      this.access.set(status === 401 ? 'signed-out' : 'not-supervisor');
      this.problem.set({ kind: 'access', message: typeof said === 'string' ? said : 'Your sign-in does not give access to this page.' });
    } else if (status === 0) {
      this.problem.set({ kind: 'network', message: 'Cannot reach the server. Check your connection; retrying every few seconds.' });
    } else {
      const said =
        error instanceof ApiFailure ? error.message : ((error as HttpErrorResponse).error as { message?: unknown } | null)?.message;
      const message = typeof said === 'string' ? said : `The server answered ${status}.`;
      this.problem.set({ kind: 'server', message: `${message} Retrying every few seconds.` });
    }
  }
}
