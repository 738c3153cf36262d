import { HttpClient, HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CallbackFigures,
  CallbackListResponse,
  CallbackOutcome,
  CallbackOutcomeRequest,
  ClaimedCallback,
  IntakeStateResponse,
  OpsFeedbackResponse,
  PauseIntakeRequest,
  RepChosenStatus,
  RepStatusRequest,
  RepStatusResponse,
} from '@servicekit/contracts';
import { firstValueFrom, Observable } from 'rxjs';
import { API_URL } from './api-url.token';
import { toFailure } from './service-kit-api.service';

/**
 * The rep app's side of callbacks, status and intake: callback requests for reps (list, claim, close), the
 * rep's own status (available, away; in-call and wrap-up come from the server), and for
 * supervisors the intake switch, the callback counts and the feedback per day. Every call takes the rep's
 * token; every failure becomes an ApiFailure with the server's sentence.
 */
@Injectable({ providedIn: 'root' })
export class RepDeskApi {
  private readonly http = inject(HttpClient);
  private readonly base = `${inject(API_URL)}/api`;

  /** Open requests oldest first, and those this rep took (with their contact data). */
  callbacks(token: string): Promise<CallbackListResponse> {
    return call(this.http.get<CallbackListResponse>(`${this.base}/callbacks`, { headers: bearer(token) }));
  }

  /** Exactly one rep wins; the others get 409 `already_taken`. */
  claimCallback(token: string, id: string): Promise<ClaimedCallback> {
    return call(
      this.http.post<ClaimedCallback>(`${this.base}/callbacks/${encodeURIComponent(id)}/claim`, null, { headers: bearer(token) }),
    );
  }

  /** Closes a request this rep took; it is deleted with its contact data. */
  async closeCallback(token: string, id: string, outcome: CallbackOutcome): Promise<void> {
    const body: CallbackOutcomeRequest = { outcome };
    await call(this.http.post<void>(`${this.base}/callbacks/${encodeURIComponent(id)}/outcome`, body, { headers: bearer(token) }));
  }

  /** The rep's status now (wrap-up says how long is left). */
  status(token: string): Promise<RepStatusResponse> {
    return call(this.http.get<RepStatusResponse>(`${this.base}/reps/me/status`, { headers: bearer(token) }));
  }

  setStatus(token: string, status: RepChosenStatus): Promise<RepStatusResponse> {
    const body: RepStatusRequest = { status };
    return call(this.http.put<RepStatusResponse>(`${this.base}/reps/me/status`, body, { headers: bearer(token) }));
  }

  intake(token: string): Promise<IntakeStateResponse> {
    return call(this.http.get<IntakeStateResponse>(`${this.base}/ops/intake`, { headers: bearer(token) }));
  }

  /** Without `minutes`, the longest pause (12 h); resume ends it earlier. */
  pauseIntake(token: string, minutes?: number): Promise<IntakeStateResponse> {
    const body: PauseIntakeRequest = minutes === undefined ? {} : { minutes };
    return call(this.http.post<IntakeStateResponse>(`${this.base}/ops/intake/pause`, body, { headers: bearer(token) }));
  }

  resumeIntake(token: string): Promise<IntakeStateResponse> {
    return call(this.http.post<IntakeStateResponse>(`${this.base}/ops/intake/resume`, null, { headers: bearer(token) }));
  }

  callbackFigures(token: string): Promise<CallbackFigures> {
    return call(this.http.get<CallbackFigures>(`${this.base}/ops/callbacks`, { headers: bearer(token) }));
  }

  /** Ratings per day, newest first; the comments only when asked for. */
  feedback(token: string, days: number, comments = false): Promise<OpsFeedbackResponse> {
    const query = comments ? `days=${days}&comments=1` : `days=${days}`;
    return call(this.http.get<OpsFeedbackResponse>(`${this.base}/ops/feedback?${query}`, { headers: bearer(token) }));
  }
}

async function call<T>(request: Observable<T>): Promise<T> {
  try {
    return await firstValueFrom(request, { defaultValue: undefined as T });
  } catch (error) {
    throw toFailure(error);
  }
}

function bearer(token: string): HttpHeaders {
  return new HttpHeaders({ Authorization: `Bearer ${token}` });
}
