import { computed, effect, inject, Injectable, OnDestroy, signal, untracked } from '@angular/core';
import { OPEN_PRESENCE, type Presence } from '@servicekit/web/data-access';
import { toVideoCallFailure, VideoCall, VideoCallFactory, type VideoCallRole } from '@servicekit/web/video-call';
import type { Subscription } from 'rxjs';
import {
  type CallEndReason,
  type CallMatch,
  type CallSessionCommand,
  type CallSessionEvent,
  type CallSessionState,
  matchOf,
  OFFLINE,
  transition,
} from './call-session.machine';

/** What the page supplies when it opens the session. */
export interface CallSessionHooks<M extends CallMatch> {
  /** The camera stream every call publishes (the page owns it: the call never stops it); none lets the call get its own. */
  localStream(): MediaStream | undefined | Promise<MediaStream | undefined>;
  /** The state changed its kind (e.g. waiting → reserved), after the change took effect. */
  entered?(state: CallSessionState<M>): void;
  /**
   * The server reports a reservation or call this page knows nothing of (a rep's page reloaded during it):
   * the page fetches it again and hands it back (`RepCallSession.claimed`), so it resumes.
   */
  resumeCall?(helpSessionId: string): void;
}

interface JoinedCall {
  readonly matchId: string;
  readonly call: VideoCall;
  readonly errors: Subscription;
}

/**
 * The call session of a page as signals: it owns the presence socket and the video call of the current
 * match, feeds what the server pushes into the state machine and carries out its commands (join, leave,
 * report media once per match). `state` is the one source of truth for the call; the page adds its own
 * steps around it (the form, the camera check, Next Customer).
 */
@Injectable()
export abstract class CallSession<M extends CallMatch, S> implements OnDestroy {
  protected abstract readonly role: VideoCallRole;
  private readonly openPresence = inject(OPEN_PRESENCE);
  private readonly videoCalls = inject(VideoCallFactory);

  private readonly machine = signal<CallSessionState<M>>(OFFLINE);
  readonly state = this.machine.asReadonly();
  /** The match of a reserved or running call. */
  readonly match = computed(() => matchOf(this.machine()));

  /** The presence socket while the session is open. */
  protected readonly presence = signal<Presence | null>(null);
  /** The same socket, for what rides along with the call (its chat). */
  readonly socket = this.presence.asReadonly();
  readonly connected = computed(() => this.presence()?.connected() ?? false);
  /** Why the server refused or closed the socket, in words (read when the session ends as `refused`). */
  readonly refusal = computed(() => this.presence()?.refused() ?? null);

  private readonly joined = signal<JoinedCall | null>(null);
  readonly call = computed(() => this.joined()?.call ?? null);
  readonly remoteStream = computed(() => this.call()?.remoteStream() ?? null);
  readonly muted = computed(() => this.call()?.muted() ?? false);
  readonly cameraOff = computed(() => this.call()?.cameraOff() ?? false);
  private readonly failure = signal<string | null>(null);
  /** Why the current call could not be joined or is not connecting, in words; cleared once media flows and when it is left. */
  readonly callError = this.failure.asReadonly();

  private hooks: CallSessionHooks<M> | null = null;
  /** Calls being left; a new call is joined only once they are gone. */
  private leaving: Promise<unknown> = Promise.resolve();

  constructor() {
    // The only reactions to the outside world: what the server pushes, a refused socket, and the other
    // side's media arriving (reported once per match by the machine). Everything else is a transition.
    effect(() => {
      const presence = this.presence();
      const pushed = presence ? this.pushedState(presence) : null;
      if (pushed) untracked(() => this.apply(this.toEvent(pushed, this.machine())));
    });
    effect(() => {
      if (this.presence()?.refused()) untracked(() => this.apply({ type: 'ended', reason: 'refused' }));
    });
    // Media flows once the connection is up and the other side's stream is here; either going away is a loss.
    effect(() => {
      const joined = this.joined();
      if (!joined) return;
      const flowing = joined.call.state() === 'connected' && joined.call.remoteStream() !== null;
      untracked(() => {
        if (flowing) this.failure.set(null);
        this.apply({ type: flowing ? 'media-up' : 'media-down', matchId: joined.matchId });
      });
    });
  }

  ngOnDestroy(): void {
    void this.close();
  }

  /** Opens the presence socket for the token (once); from then on the server's pushes drive the session. */
  open(token: string, hooks: CallSessionHooks<M>): void {
    if (this.presence()) return;
    this.hooks = hooks;
    this.presence.set(this.openPresence(token));
    this.apply({ type: 'open' });
  }

  /** This side ended the session (its request to the server succeeded), or the page knows it is over. */
  end(reason: CallEndReason): void {
    this.apply({ type: 'ended', reason });
  }

  setMuted(muted: boolean): void {
    this.call()?.setMuted(muted);
  }

  setCameraOff(off: boolean): void {
    this.call()?.setCameraOff(off);
  }

  /** Leaves the call and closes the socket; an ended session keeps its reason for the page to show. */
  async close(): Promise<void> {
    const presence = this.presence();
    this.presence.set(null);
    presence?.close();
    this.apply({ type: 'close' });
    await this.leaving;
  }

  /** Closes everything and starts afresh (offline) at once, for a new request; resolves once the call is left. */
  reset(): Promise<void> {
    const closing = this.close();
    this.apply({ type: 'reset' });
    return closing;
  }

  /** The state the server pushed last to this side (read in a reactive context). */
  protected abstract pushedState(presence: Presence): S | null;
  /** What a pushed state means, given where the session stands. */
  protected abstract toEvent(pushed: S, current: CallSessionState<M>): CallSessionEvent<M> | null;
  protected apply(event: CallSessionEvent<M> | null): void {
    if (!event) return;
    const previous = this.machine();
    const { state, commands } = transition(previous, event);
    this.machine.set(state);
    commands.forEach((command) => this.run(command));
    if (state.kind !== previous.kind) this.hooks?.entered?.(state);
  }

  private run(command: CallSessionCommand<M>): void {
    switch (command.type) {
      case 'join':
        void this.join(command.match);
        return;
      case 'leave':
        this.leaving = Promise.all([this.leaving, this.leave()]);
        return;
      case 'report-media':
        void this.presence()?.mediaConnected(command.matchId);
        return;
      case 'resume':
        this.hooks?.resumeCall?.(command.helpSessionId);
        return;
    }
  }

  private async join(match: M): Promise<void> {
    const presence = this.presence();
    const hooks = this.hooks;
    if (!presence || !hooks) return;
    // Each call starts with a clean inbox, so stray signals of an earlier call cannot reach it; the customer's
    // call says it is ready, which brings the rep's current offer again.
    presence.clearPendingSignals();
    try {
      await this.leaving;
      const localStream = await hooks.localStream();
      // Another turn while waiting (the match ended, or a newer one came): this join is moot.
      if (this.match()?.matchId !== match.matchId) return;
      const call = this.videoCalls.create(match.video.provider);
      const errors = call.errors$.subscribe((failure) => this.failure.set(failure.message));
      this.joined.set({ matchId: match.matchId, call, errors });
      await call.join(match.video, { role: this.role, signaling: presence, localStream });
    } catch (error) {
      if (this.match()?.matchId === match.matchId) this.failure.set(toVideoCallFailure(error).message);
    }
  }

  private async leave(): Promise<void> {
    const joined = this.joined();
    this.joined.set(null);
    this.failure.set(null);
    if (!joined) return;
    joined.errors.unsubscribe();
    await joined.call.leave().catch(() => undefined);
  }
}
