import { loadServiceKitConfig } from '@servicekit/api/config';
import { HelpQueue } from '@servicekit/api/queue';
import { InMemoryStore } from '@servicekit/api/store';
import { SettableStaffFigures } from '../testing';
import { IntakeRecords } from './intake.records';
import { IntakeService } from './intake.service';

const BERLIN = 'Mon-Fri 09:00-17:30, Sat 10:00-14:00; Europe/Berlin';
// Wednesday 14 January 2026, 10:00 in Berlin.
const OPEN_TIME = Date.parse('2026-01-14T09:00:00Z');

describe('IntakeService', () => {
  let now: number;
  let store: InMemoryStore;
  let queue: HelpQueue;
  let figures: SettableStaffFigures;
  const intake = (env: Record<string, string> = {}) =>
    new IntakeService(loadServiceKitConfig({ OPENING_HOURS: BERLIN, ...env }), new IntakeRecords(store), queue, figures, {
      figuresCacheMs: 0,
    });

  beforeEach(() => {
    now = OPEN_TIME;
    store = new InMemoryStore({ now: () => now });
    queue = new HelpQueue(store);
    figures = new SettableStaffFigures();
    figures.load = { repsOnline: 2, repsBusy: 0 };
  });

  afterEach(async () => {
    await store.close();
  });

  it('should say open with a rep online, and admit', async () => {
    const service = intake();
    await expect(service.status(now)).resolves.toMatchObject({ availability: 'open', opensAt: null, estimatedWaitMs: 0, callbacks: true });
    await expect(service.admit(now)).resolves.toBeUndefined();
  });

  it('should say closed with the next opening as an instant, and refuse with the code closed', async () => {
    const service = intake();
    const evening = Date.parse('2026-01-14T17:00:00Z');
    await expect(service.status(evening)).resolves.toMatchObject({ availability: 'closed', opensAt: '2026-01-15T08:00:00.000Z' });
    await expect(service.admit(evening)).rejects.toMatchObject({
      code: 'closed',
      message:
        'We are closed at the moment and open again on Thursday 15 January at 09:00 (Europe/Berlin time). You can leave a callback request.',
    });
  });

  it('should pause intake for every instance until resumed or the pause runs out', async () => {
    const one = intake();
    const other = intake();
    await one.pause(30, now);
    await expect(other.admit(now)).rejects.toMatchObject({ code: 'intake_paused' });
    await expect(other.status(now)).resolves.toMatchObject({ availability: 'intake_paused' });
    await expect(other.intakeState(now)).resolves.toMatchObject({ paused: true, pausedUntil: '2026-01-14T09:30:00.000Z' });
    await other.resume(now);
    await expect(one.admit(now)).resolves.toBeUndefined();
    await one.pause(1, now);
    now += 61_000;
    await expect(other.admit(now)).resolves.toBeUndefined();
  });

  it('should keep the pause key bounded: at most 12 h', async () => {
    const service = intake();
    await service.pause(100_000, now);
    now += 12 * 60 * 60_000 + 1000;
    await expect(service.intakeState(now)).resolves.toMatchObject({ paused: false });
  });

  it('should say no rep online, with no estimate, and still admit (the customer may wait)', async () => {
    figures.load = { repsOnline: 0, repsBusy: 0 };
    const service = intake({ MAX_ESTIMATED_WAIT_MS: '60000' });
    await expect(service.status(now)).resolves.toMatchObject({
      availability: 'no_rep_online',
      estimatedWaitMs: null,
      estimateReason: 'no_rep_online',
    });
    await expect(service.admit(now)).resolves.toBeUndefined();
  });

  it('should turn a new arrival away when the queue is full', async () => {
    const service = intake({ MAX_QUEUE_LENGTH: '2' });
    await queue.enqueue('a');
    await expect(service.admit(now)).resolves.toBeUndefined();
    await queue.enqueue('b');
    await expect(service.admit(now)).rejects.toMatchObject({ code: 'queue_full' });
    await expect(service.status(now)).resolves.toMatchObject({ availability: 'busy', waiting: 2 });
  });

  it('should turn a new arrival away when the estimated wait is too long, from measured handling times', async () => {
    figures.load = { repsOnline: 1, repsBusy: 1 };
    const service = intake({ MAX_ESTIMATED_WAIT_MS: String(10 * 60_000) });
    // Measured: calls of 4 minutes. Next arrival behind one busy rep and nobody waiting: 3 minutes.
    await service.handled(4 * 60_000);
    await expect(service.estimate(1)).resolves.toEqual({ estimatedWaitMs: 3 * 60_000 });
    await expect(service.admit(now)).resolves.toBeUndefined();
    await queue.enqueue('a');
    await queue.enqueue('b');
    // Third in line: 3 + 4 + 4 = 11 minutes.
    await expect(service.admit(now)).rejects.toMatchObject({ code: 'wait_too_long' });
  });

  it('should carry the brand in the status', async () => {
    await expect(intake({ BRAND_NAME: 'Acme' }).status(now)).resolves.toMatchObject({
      brand: { name: 'Acme', color: null, logoUrl: null },
    });
  });
});
