import { HttpClient, HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { exhaustMap, firstValueFrom, interval, startWith, Subscription } from 'rxjs';
import { formatDuration, OpsQueueView } from './ops-queue';

/** Where the operator token is kept: this tab only, gone when it closes. */
export const OPS_TOKEN_KEY = 'sk.opsToken';
export const REFRESH_MS = 2500;

type Problem = { kind: 'token' | 'network' | 'server'; message: string };

/**
 * The operators' page: the live queue (no names unless asked for), reps and calls, refreshed every 2.5 s.
 * It asks for the operator token (OPS_TOKEN) and keeps it in sessionStorage.
 */
@Component({
  selector: 'sk-ops-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ops.page.html',
  styleUrl: './ops.page.css',
})
export class OpsPage implements OnInit {
  private readonly http = inject(HttpClient);
  private polling: Subscription | null = null;

  protected readonly token = signal<string | null>(readStoredToken());
  protected readonly showNames = signal(false);
  protected readonly view = signal<OpsQueueView | null>(null);
  protected readonly problem = signal<Problem | null>(null);
  protected readonly formatDuration = formatDuration;

  protected readonly summary = computed(() => {
    const view = this.view();
    if (!view) return '';
    const waiting = view.queueLength === 1 ? '1 customer waiting' : `${view.queueLength} customers waiting`;
    const oldest = view.queueLength > 0 ? `, the longest for ${formatDuration(view.oldestWaitMs)}` : '';
    const reps = `${view.repsOnline} ${view.repsOnline === 1 ? 'rep' : 'reps'} online, ${view.repsBusy} busy`;
    const calls = view.callsInProgress === 1 ? '1 call in progress' : `${view.callsInProgress} calls in progress`;
    return `${waiting}${oldest}. ${reps}. ${calls}.`;
  });

  protected readonly updatedAt = computed(() => {
    const view = this.view();
    return view ? new Date(view.generatedAt).toLocaleTimeString() : '';
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  ngOnInit(): void {
    if (this.token()) this.start();
  }

  protected useToken(event: Event, input: HTMLInputElement): void {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    sessionStorage.setItem(OPS_TOKEN_KEY, token);
    input.value = '';
    this.token.set(token);
    this.problem.set(null);
    this.start();
  }

  protected forgetToken(): void {
    sessionStorage.removeItem(OPS_TOKEN_KEY);
    this.stop();
    this.token.set(null);
    this.view.set(null);
    this.problem.set(null);
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
    const token = this.token();
    if (!token) return;
    const url = this.showNames() ? '/api/ops/queue?pii=1' : '/api/ops/queue';
    const headers = new HttpHeaders({ Authorization: `Bearer ${token}` });
    try {
      const view = await firstValueFrom(this.http.get<OpsQueueView>(url, { headers }));
      this.view.set(view);
      this.problem.set(null);
    } catch (error) {
      this.handle(error);
    }
  }

  private handle(error: unknown): void {
    const status = error instanceof HttpErrorResponse ? error.status : 0;
    if (status === 401) {
      // A wrong token will not become right by asking again: stop and ask for another one.
      sessionStorage.removeItem(OPS_TOKEN_KEY);
      this.stop();
      this.token.set(null);
      this.view.set(null);
      this.problem.set({ kind: 'token', message: 'That operator token is not right.' });
    } else if (status === 0) {
      this.problem.set({ kind: 'network', message: 'Cannot reach the server. Check your connection; retrying every few seconds.' });
    } else {
      const said = error instanceof HttpErrorResponse ? (error.error as { message?: unknown } | null)?.message : undefined;
      const message = typeof said === 'string' ? said : `The server answered ${status}.`;
      this.problem.set({ kind: 'server', message: `${message} Retrying every few seconds.` });
    }
  }
}

function readStoredToken(): string | null {
  try {
    return sessionStorage.getItem(OPS_TOKEN_KEY);
  } catch {
    return null;
  }
}
