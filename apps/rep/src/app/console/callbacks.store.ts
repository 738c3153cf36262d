import { DOCUMENT } from '@angular/common';
import { computed, inject, Injectable, OnDestroy, signal } from '@angular/core';
import type { CallbackListResponse, CallbackOutcome, ClaimedCallback } from '@servicekit/contracts';
import { ApiFailure, RepDeskApi } from '@servicekit/web/data-access';
import { RepSessionStore } from '../rep-session.store';
import { CONSOLE_CONFIG } from './console.config';

export const TAKEN_NOTICE = 'Another representative took this request.';
export const GONE_NOTICE = 'This request was closed or has expired.';
const LIST_FAILED = 'The callback requests cannot be loaded right now. Retrying every few seconds.';

const CLOSED_NOTICES: Readonly<Record<CallbackOutcome, (name: string) => string>> = {
  done: (name) => `Done: the request of ${name} and its contact data are deleted.`,
  not_reached: (name) => `Marked not reached: the request of ${name} and its contact data are deleted.`,
};

/**
 * Callback requests in the rep's console: the open ones oldest first and the ones this rep took, polled
 * every few seconds and whenever the tab comes back into view; taking one (exactly one rep wins: the others
 * are told and see the list again) and closing it as done or not reached.
 */
@Injectable()
export class CallbacksStore implements OnDestroy {
  private readonly api = inject(RepDeskApi);
  private readonly session = inject(RepSessionStore);
  private readonly config = inject(CONSOLE_CONFIG);
  private readonly document = inject(DOCUMENT);

  private readonly list = signal<CallbackListResponse | null>(null);
  readonly open = computed(() => this.list()?.open ?? []);
  readonly mine = computed(() => this.list()?.claimedByYou ?? []);
  readonly loaded = computed(() => this.list() !== null);
  /** When the list was last read: the "12 min ago" of each request counts from here. */
  readonly now = signal(Date.now());
  /** The request a claim or close is under way for. */
  readonly busy = signal<string | null>(null);
  /** What happened to the last action, in words. */
  readonly notice = signal<string | null>(null);
  /** The list cannot be read or an action failed, in words. */
  readonly error = signal<string | null>(null);
  /** The request this rep just took: the panel moves focus to its contact data. */
  readonly justClaimed = signal<string | null>(null);

  private timer: ReturnType<typeof setTimeout> | null = null;
  private loading: Promise<void> | null = null;
  private stopped = true;
  private readonly onVisible = () => {
    if (this.document.visibilityState !== 'hidden') void this.refresh();
  };

  /** Reads the list now and then every few seconds, and again when the window regains focus. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const view = this.document.defaultView;
    view?.addEventListener('focus', this.onVisible);
    this.document.addEventListener('visibilitychange', this.onVisible);
    void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.document.defaultView?.removeEventListener('focus', this.onVisible);
    this.document.removeEventListener('visibilitychange', this.onVisible);
  }

  ngOnDestroy(): void {
    this.stop();
  }

  /** One read at a time; the next one is scheduled from its end. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = null;
      this.schedule();
    });
    return this.loading;
  }

  async claim(id: string): Promise<void> {
    const token = this.session.current()?.token;
    const request = this.open().find((c) => c.id === id);
    if (!token || !request || this.busy()) return;
    this.busy.set(id);
    this.notice.set(null);
    this.error.set(null);
    try {
      const claimed = await this.api.claimCallback(token, id);
      this.took(claimed);
    } catch (error) {
      if (error instanceof ApiFailure && (error.code === 'already_taken' || error.status === 409)) this.notice.set(TAKEN_NOTICE);
      else if (error instanceof ApiFailure && error.status === 404) this.notice.set(GONE_NOTICE);
      else this.failed(error);
      this.forget(id);
      await this.refresh();
    } finally {
      this.busy.set(null);
    }
  }

  async close(id: string, outcome: CallbackOutcome): Promise<void> {
    const token = this.session.current()?.token;
    const request = this.mine().find((c) => c.id === id);
    if (!token || !request || this.busy()) return;
    this.busy.set(id);
    this.notice.set(null);
    this.error.set(null);
    try {
      await this.api.closeCallback(token, id, outcome);
      this.notice.set(CLOSED_NOTICES[outcome](request.customerName));
      this.forget(id);
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 404) {
        this.notice.set(GONE_NOTICE);
        this.forget(id);
      } else {
        this.failed(error);
      }
    } finally {
      this.busy.set(null);
    }
    await this.refresh();
  }

  private async load(): Promise<void> {
    const token = this.session.current()?.token;
    if (!token || this.stopped) return;
    try {
      const list = await this.api.callbacks(token);
      this.now.set(Date.now());
      this.list.set(list);
      if (this.error() === LIST_FAILED) this.error.set(null);
    } catch (error) {
      // A sign-in that ended is the console's business (it goes back to the sign-in page): stop asking.
      if (error instanceof ApiFailure && (error.status === 401 || error.status === 403)) this.stop();
      this.error.set(error instanceof ApiFailure && error.status !== 0 ? error.message : LIST_FAILED);
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.stopped ? null : setTimeout(() => void this.refresh(), this.config.callbackRefreshMs);
  }

  private took(claimed: ClaimedCallback): void {
    this.list.update(
      (list) =>
        list && {
          open: list.open.filter((c) => c.id !== claimed.id),
          claimedByYou: [...list.claimedByYou.filter((c) => c.id !== claimed.id), claimed],
        },
    );
    this.justClaimed.set(claimed.id);
  }

  private forget(id: string): void {
    this.list.update(
      (list) => list && { open: list.open.filter((c) => c.id !== id), claimedByYou: list.claimedByYou.filter((c) => c.id !== id) },
    );
  }

  private failed(error: unknown): void {
    this.error.set(error instanceof ApiFailure ? error.message : 'Something went wrong. Please try again.');
  }
}
