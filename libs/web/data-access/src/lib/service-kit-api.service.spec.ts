import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiFailure, ServiceKitApi } from './service-kit-api.service';

describe('ServiceKitApi', () => {
  let api: ServiceKitApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(ServiceKitApi);
    http = TestBed.inject(HttpTestingController);
  });

  it('should send the customer token as a bearer token', async () => {
    const queued = api.enqueue('hs1', 'secret');
    const request = http.expectOne('/api/help-sessions/hs1/queue');
    expect(request.request.headers.get('Authorization')).toBe('Bearer secret');
    request.flush({ position: 2, estimatedWaitMs: 1000 });
    await expect(queued).resolves.toEqual({ position: 2, estimatedWaitMs: 1000 });
  });

  it('should turn the server error into a failure with its sentence and field errors', async () => {
    const created = api.createHelpSession('a'.repeat(51), 'x');
    http.expectOne('/api/help-sessions').flush(
      {
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: 'Your name must be at most 50 characters (it has 51).',
        details: { customerName: 'Your name must be at most 50 characters (it has 51).' },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    const failure = await created.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).details['customerName']).toMatch(/at most 50/);
  });

  it('should say in words when the service cannot be reached', async () => {
    const status = api.status();
    http.expectOne('/api/status').error(new ProgressEvent('error'), { status: 0 });
    await expect(status).rejects.toThrow('The service cannot be reached. Check your connection and try again.');
  });

  it('should answer null when nobody waits (204)', async () => {
    const next = api.claimNext('rep', 0);
    http.expectOne('/api/queue/next').flush(null, { status: 204, statusText: 'No Content' });
    await expect(next).resolves.toBeNull();
  });

  it("should fetch the rep's current match again with the rep token, or null when there is none", async () => {
    const current = api.currentClaim('rep-token');
    const request = http.expectOne('/api/queue/current');
    expect([request.request.method, request.request.headers.get('Authorization')]).toEqual(['GET', 'Bearer rep-token']);
    request.flush(null, { status: 204, statusText: 'No Content' });
    await expect(current).resolves.toBeNull();
  });

  it("should fetch the ICE servers for the rep's pre-call check", async () => {
    const ice = api.iceServers('rep-token');
    const request = http.expectOne('/api/video/ice-servers');
    expect(request.request.headers.get('Authorization')).toBe('Bearer rep-token');
    request.flush({ iceServers: [{ urls: ['turn:t.example'], username: 'u', credential: 'c' }], iceTransportPolicy: 'relay' });
    await expect(ice).resolves.toMatchObject({ iceTransportPolicy: 'relay' });
  });

  it('should leave a callback request with the customer token when it gives up a queue place', async () => {
    const created = api.createCallback(
      { customerName: 'Ada', problemText: 'Router', email: 'ada@example.com', helpSessionId: 'hs1' },
      'secret',
    );
    const request = http.expectOne('/api/callbacks');
    expect(request.request.headers.get('Authorization')).toBe('Bearer secret');
    expect(request.request.body).toEqual({ customerName: 'Ada', problemText: 'Router', email: 'ada@example.com', helpSessionId: 'hs1' });
    request.flush({ id: 'cb1', requestedAt: '2026-12-02T10:00:00.000Z', deleteBy: '2026-12-05T10:00:00.000Z' });
    await expect(created).resolves.toMatchObject({ id: 'cb1' });
  });

  it('should send a rating with the customer token', async () => {
    const sent = api.sendFeedback({ helpSessionId: 'hs1', rating: 4 }, 'secret');
    const request = http.expectOne('/api/feedback');
    expect(request.request.headers.get('Authorization')).toBe('Bearer secret');
    expect(request.request.body).toEqual({ helpSessionId: 'hs1', rating: 4 });
    request.flush(null, { status: 204, statusText: 'No Content' });
    await expect(sent).resolves.toBeNull();
  });
});
