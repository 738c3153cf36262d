import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { RepDeskApi } from './rep-desk-api.service';
import { ApiFailure } from './service-kit-api.service';

describe('RepDeskApi', () => {
  let api: RepDeskApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(RepDeskApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('should claim and close a callback request with the rep token', async () => {
    const claimed = api.claimCallback('rep-token', 'cb/1');
    const claim = http.expectOne('/api/callbacks/cb%2F1/claim');
    expect([claim.request.method, claim.request.headers.get('Authorization')]).toEqual(['POST', 'Bearer rep-token']);
    claim.flush({ id: 'cb/1', customerName: 'Ada', problemText: 'x', requestedAt: '2025-01-01T00:00:00.000Z', phone: '+4930111111' });
    await expect(claimed).resolves.toMatchObject({ phone: '+4930111111' });

    const closed = api.closeCallback('rep-token', 'cb/1', 'not_reached');
    const close = http.expectOne('/api/callbacks/cb%2F1/outcome');
    expect(close.request.body).toEqual({ outcome: 'not_reached' });
    close.flush(null, { status: 204, statusText: 'No Content' });
    await expect(closed).resolves.toBeUndefined();
  });

  it('should turn a lost race into a failure with its code', async () => {
    const claimed = api.claimCallback('rep-token', 'cb_1');
    http.expectOne('/api/callbacks/cb_1/claim').flush(
      {
        statusCode: 409,
        error: 'Conflict',
        code: 'already_taken',
        message: 'Another representative has already taken this callback request.',
      },
      { status: 409, statusText: 'Conflict' },
    );
    const failure = await claimed.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).code).toBe('already_taken');
  });

  it('should pause intake for the minutes given, or the longest pause without them', async () => {
    const paused = api.pauseIntake('sup-token', 30);
    const pause = http.expectOne('/api/ops/intake/pause');
    expect(pause.request.body).toEqual({ minutes: 30 });
    pause.flush({ paused: true, pausedUntil: '2025-01-01T12:30:00.000Z', withinOpeningHours: true, opensAt: null });
    await expect(paused).resolves.toMatchObject({ paused: true });

    void api.pauseIntake('sup-token');
    const longest = http.expectOne('/api/ops/intake/pause');
    expect(longest.request.body).toEqual({});
    longest.flush({ paused: true, pausedUntil: null, withinOpeningHours: true, opensAt: null });
  });

  it('should ask for feedback comments only on demand', async () => {
    void api.feedback('sup-token', 7);
    http.expectOne('/api/ops/feedback?days=7').flush({ days: [], commentRetentionDays: 30 });
    void api.feedback('sup-token', 7, true);
    http.expectOne('/api/ops/feedback?days=7&comments=1').flush({ days: [], commentRetentionDays: 30 });
  });
});
