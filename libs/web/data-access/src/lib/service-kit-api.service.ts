import { HttpClient, HttpErrorResponse, HttpHeaders, HttpResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  ApiError,
  Brand,
  CallbackRequestCreate,
  CallbackRequestCreated,
  ChatHistoryResponse,
  ChatMessage,
  CheckContextResponse,
  ClaimNextResponse,
  CreateHelpSessionRequest,
  CreateHelpSessionResponse,
  IceConfiguration,
  EmbedSettingsResponse,
  FeedbackRequest,
  isApiError,
  OpsRepsResponse,
  QueuePositionResponse,
  RepSessionResponse,
  RepSignInOptions,
  RepSignInResponse,
  RepSignOutResponse,
  ServiceStatusResponse,
} from '@servicekit/contracts';
import { firstValueFrom, Observable } from 'rxjs';
import { API_URL } from './api-url.token';

/** A failed API call, with the server's sentence (or one of ours for network trouble) and field errors. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: ApiError['code'] | 'network',
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** The REST API, typed by libs/contracts. Every failure becomes an ApiFailure with a message for people. */
@Injectable({ providedIn: 'root' })
export class ServiceKitApi {
  private readonly http = inject(HttpClient);
  private readonly base = `${inject(API_URL)}/api`;

  status(): Promise<ServiceStatusResponse> {
    return this.call(this.http.get<ServiceStatusResponse>(`${this.base}/status`));
  }

  /** The company's name, colour and logo for the pages. */
  brand(): Promise<Brand> {
    return this.call(this.http.get<Brand>(`${this.base}/brand`));
  }

  /** A callback request; with `helpSessionId` (and its customer token) that help session leaves the queue and ends. */
  createCallback(request: CallbackRequestCreate, customerToken?: string): Promise<CallbackRequestCreated> {
    const headers = customerToken ? bearer(customerToken) : undefined;
    return this.call(this.http.post<CallbackRequestCreated>(`${this.base}/callbacks`, request, { headers }));
  }

  /** The customer's rating of a call (once per help session a rep took). */
  sendFeedback(request: FeedbackRequest, customerToken: string): Promise<void> {
    return this.call(this.http.post<void>(`${this.base}/feedback`, request, { headers: bearer(customerToken) }));
  }

  /** `context`: a host site's context token (the widget), verified by the server; a bad one is ignored. */
  createHelpSession(customerName: string, problemText: string, context?: string): Promise<CreateHelpSessionResponse> {
    const body: CreateHelpSessionRequest = context === undefined ? { customerName, problemText } : { customerName, problemText, context };
    return this.call(this.http.post<CreateHelpSessionResponse>(`${this.base}/help-sessions`, body));
  }

  /** Whether a context token is valid, and what it prefills; nothing is stored. */
  checkContext(context: string): Promise<CheckContextResponse> {
    return this.call(this.http.post<CheckContextResponse>(`${this.base}/help-sessions/context`, { context }));
  }

  /** The sites allowed to frame the embed page. */
  embedSettings(): Promise<EmbedSettingsResponse> {
    return this.call(this.http.get<EmbedSettingsResponse>(`${this.base}/embed`));
  }

  enqueue(id: string, customerToken: string): Promise<QueuePositionResponse> {
    return this.call(
      this.http.post<QueuePositionResponse>(`${this.base}/help-sessions/${id}/queue`, null, { headers: bearer(customerToken) }),
    );
  }

  cancel(id: string, customerToken: string): Promise<void> {
    return this.call(this.http.delete<void>(`${this.base}/help-sessions/${id}/queue`, { headers: bearer(customerToken) }));
  }

  /** Ends a help session as its customer (token) or its rep (token or the sign-in cookie). */
  end(id: string, token: string | null): Promise<void> {
    return this.call(this.http.delete<void>(`${this.base}/help-sessions/${id}`, { headers: token ? bearer(token) : undefined }));
  }

  /** Sends a chat message of the help session, as its customer (token) or its rep (token or the sign-in cookie). */
  sendChatMessage(id: string, text: string, token: string | null): Promise<ChatMessage> {
    return this.call(
      this.http.post<ChatMessage>(`${this.base}/help-sessions/${id}/messages`, { text }, { headers: token ? bearer(token) : undefined }),
    );
  }

  /** The help session's chat messages after sequence number `after` (0: all), oldest first. */
  async chatHistory(id: string, after: number, token: string | null): Promise<ChatMessage[]> {
    const reply = await this.call(
      this.http.get<ChatHistoryResponse>(`${this.base}/help-sessions/${id}/messages?after=${after}`, {
        headers: token ? bearer(token) : undefined,
      }),
    );
    return reply.messages;
  }

  signIn(name: string, passcode: string): Promise<RepSignInResponse> {
    return this.call(this.http.post<RepSignInResponse>(`${this.base}/reps/sessions`, { name, passcode }));
  }

  /** Which ways in this deployment offers (passcode, accounts, single sign-on). */
  signInOptions(): Promise<RepSignInOptions> {
    return this.call(this.http.get<RepSignInOptions>(`${this.base}/reps/sign-in`));
  }

  signInWithAccount(login: string, password: string): Promise<RepSessionResponse> {
    return this.call(this.http.post<RepSessionResponse>(`${this.base}/reps/sessions/account`, { login, password }));
  }

  /** Where the browser goes to sign in with single sign-on (it comes back to the rep app with the cookie). */
  get ssoUrl(): string {
    return `${this.base}/reps/sso`;
  }

  /** The session of the sign-in cookie (after single sign-on), with a token for the socket. */
  currentSession(): Promise<RepSessionResponse> {
    return this.call(this.http.get<RepSessionResponse>(`${this.base}/reps/sessions/current`));
  }

  /** Ends the session on the server (every instance) and clears the cookie; after SSO, the provider's sign-out URL. */
  async signOut(token?: string): Promise<RepSignOutResponse> {
    const reply = await this.call(
      this.http.delete<RepSignOutResponse | null>(`${this.base}/reps/sessions`, { headers: token ? bearer(token) : undefined }),
    );
    return reply ?? {};
  }

  /** Supervisors: the reps signed in now. */
  opsReps(token: string): Promise<OpsRepsResponse> {
    return this.call(this.http.get<OpsRepsResponse>(`${this.base}/ops/reps`, { headers: bearer(token) }));
  }

  /** Supervisors: sign a rep out everywhere. */
  signOutRep(token: string, repId: string): Promise<void> {
    return this.call(this.http.delete<void>(`${this.base}/ops/reps/${encodeURIComponent(repId)}/session`, { headers: bearer(token) }));
  }

  /** The next customer, or null when nobody arrived within `waitMs`. Unsubscribing (abort) gives up. */
  async claimNext(repToken: string, waitMs: number, signal?: AbortSignal): Promise<ClaimNextResponse | null> {
    const request = this.http.post<ClaimNextResponse | null>(
      `${this.base}/queue/next`,
      { waitMs },
      { headers: bearer(repToken), observe: 'response' },
    );
    const response: HttpResponse<ClaimNextResponse | null> = await this.call(request, signal);
    return response.status === 204 ? null : response.body;
  }

  /** The rep's current reservation or call again (a reloaded console resumes it), or null when there is none. */
  async currentClaim(repToken: string): Promise<ClaimNextResponse | null> {
    const request = this.http.get<ClaimNextResponse | null>(`${this.base}/queue/current`, {
      headers: bearer(repToken),
      observe: 'response',
    });
    const response: HttpResponse<ClaimNextResponse | null> = await this.call(request);
    return response.status === 204 ? null : response.body;
  }

  /** STUN and TURN with short-lived credentials, for the rep's pre-call check. */
  iceServers(repToken: string): Promise<IceConfiguration> {
    return this.call(this.http.get<IceConfiguration>(`${this.base}/video/ice-servers`, { headers: bearer(repToken) }));
  }

  private async call<T>(request: Observable<T>, signal?: AbortSignal): Promise<T> {
    try {
      if (!signal) return await firstValueFrom(request, { defaultValue: undefined as T });
      return await new Promise<T>((resolve, reject) => {
        const subscription = request.subscribe({ next: resolve, error: reject, complete: () => resolve(undefined as T) });
        signal.addEventListener('abort', () => {
          subscription.unsubscribe();
          reject(new ApiFailure(0, 'Stopped.', 'network'));
        });
      });
    } catch (error) {
      throw toFailure(error);
    }
  }
}

function bearer(token: string): HttpHeaders {
  return new HttpHeaders({ Authorization: `Bearer ${token}` });
}

export function toFailure(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  if (error instanceof HttpErrorResponse) {
    if (isApiError(error.error)) return new ApiFailure(error.status, error.error.message, error.error.code, error.error.details);
    if (error.status === 0) {
      return new ApiFailure(0, 'The service cannot be reached. Check your connection and try again.', 'network');
    }
    return new ApiFailure(error.status, 'Something went wrong on our side. Please try again in a moment.', 'internal');
  }
  return new ApiFailure(0, 'Something went wrong. Please try again.', 'network');
}
