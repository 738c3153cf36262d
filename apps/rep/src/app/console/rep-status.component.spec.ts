import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ApiFailure, RepDeskApi } from '@servicekit/web/data-access';
import { FakeRepDeskApi, until } from '@servicekit/web/data-access/testing';
import { RepStatusComponent } from './rep-status.component';

describe('RepStatusComponent', () => {
  let fixture: ComponentFixture<RepStatusComponent>;
  let desk: FakeRepDeskApi;

  const page = () => fixture.nativeElement as HTMLElement;
  const text = (id: string) => page().querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
  const radio = (value: string) => page().querySelector<HTMLInputElement>(`input[value="${value}"]`);

  async function create(): Promise<void> {
    sessionStorage.setItem(
      'sk.rep',
      JSON.stringify({ token: 'rep-token', name: 'Ada', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), roles: ['rep'] }),
    );
    TestBed.configureTestingModule({ providers: [{ provide: RepDeskApi, useValue: desk }] });
    fixture = TestBed.createComponent(RepStatusComponent);
    await fixture.whenStable();
    await until(() => desk.status.mock.calls.length > 0 && text('rep-status-now') !== 'Reading your status…', 'the status');
  }

  beforeEach(() => {
    desk = new FakeRepDeskApi();
  });

  it('should show the status read from the server, with Available chosen, in a labelled radio group', async () => {
    await create();
    expect(desk.status).toHaveBeenCalledWith('rep-token');
    expect(text('rep-status-now')).toBe('Available');
    expect(radio('available')?.checked).toBe(true);
    expect(radio('away')?.checked).toBe(false);
    expect(page().querySelector('[role="radiogroup"]')?.getAttribute('aria-label')).toBe('Your status');
  });

  it('should set away and back when the rep picks it, and say so', async () => {
    await create();
    radio('away')?.click();
    await until(() => text('rep-status-now') === 'Away: you are not offered customers', 'away');
    expect(desk.setStatus).toHaveBeenLastCalledWith('rep-token', 'away');
    expect(radio('away')?.checked).toBe(true);
    radio('available')?.click();
    await until(() => text('rep-status-now') === 'Available', 'available again');
    expect(desk.setStatus).toHaveBeenLastCalledWith('rep-token', 'available');
  });

  it('should count the wrap-up down and read the status again when it is over', async () => {
    desk.repStatus = {
      status: 'wrap-up',
      chosen: 'available',
      wrapUpEndsAt: new Date(Date.now() + 1200).toISOString(),
      wrapUpMsLeft: 1200,
    };
    await create();
    expect(text('rep-status-now')).toBe('Wrap-up');
    expect(text('rep-wrap-up-left')).toMatch(/^[12] s left$/);
    expect(page().querySelector('[data-testid="rep-wrap-up-left"]')?.getAttribute('role')).toBe('timer');
    desk.repStatus = { status: 'available', chosen: 'available' };
    const deadline = Date.now() + 4000;
    while (text('rep-status-now') !== 'Available' && Date.now() < deadline) {
      TestBed.tick();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(text('rep-status-now')).toBe('Available');
    expect(text('rep-wrap-up-left')).toBeNull();
    expect(desk.status.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('should read the status again when a call starts or ends', async () => {
    await create();
    desk.repStatus = { status: 'in-call', chosen: 'available' };
    fixture.componentRef.setInput('holding', true);
    await until(() => text('rep-status-now') === 'In a call', 'in a call');
    expect(desk.status).toHaveBeenCalledTimes(2);
  });

  it('should show the server’s sentence when setting the status fails', async () => {
    await create();
    desk.setStatus.mockRejectedValueOnce(new ApiFailure(400, 'The status must be "available" or "away".', 'validation_failed'));
    radio('away')?.click();
    await until(() => page().querySelector('[role="alert"]') !== null, 'the error');
    expect(page().querySelector('[role="alert"]')?.textContent?.trim()).toBe('The status must be "available" or "away".');
  });
});
