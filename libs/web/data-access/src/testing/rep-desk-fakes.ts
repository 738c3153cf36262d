import type {
  CallbackFigures,
  CallbackListResponse,
  ClaimedCallback,
  IntakeStateResponse,
  OpsFeedbackResponse,
  RepChosenStatus,
  RepStatusResponse,
} from '@servicekit/contracts';
import type { RepDeskApi } from '../lib/rep-desk-api.service';

/**
 * Stands in for `RepDeskApi` (provide it with `{provide: RepDeskApi, useValue: new FakeRepDeskApi()}`): every
 * method is a jest mock that answers from the fields below until a test tells it otherwise
 * (`mockRejectedValueOnce(new ApiFailure(…))`); the calls are recorded.
 */
export class FakeRepDeskApi implements Pick<RepDeskApi, keyof RepDeskApi> {
  list: CallbackListResponse = { open: [], claimedByYou: [] };
  intakeState: IntakeStateResponse = { paused: false, pausedUntil: null, withinOpeningHours: true, opensAt: null };
  figures: CallbackFigures = { open: 0, claimed: 0, done: 0, notReached: 0 };
  feedbackReport: OpsFeedbackResponse = { days: [], commentRetentionDays: 30 };

  readonly callbacks = jest.fn((_token: string) => Promise.resolve(copy(this.list)));
  readonly claimCallback = jest.fn((_token: string, id: string): Promise<ClaimedCallback> => {
    const found = this.list.open.find((c) => c.id === id);
    return found ? Promise.resolve({ ...found, phone: '+49 30 1234567' }) : Promise.reject(new Error(`No open request ${id}`));
  });
  readonly closeCallback = jest.fn((_token: string, _id: string, _outcome: string) => Promise.resolve());
  repStatus: RepStatusResponse = { status: 'available', chosen: 'available' };
  readonly status = jest.fn((_token: string) => Promise.resolve({ ...this.repStatus }));
  readonly setStatus = jest.fn((_token: string, status: RepChosenStatus) => {
    this.repStatus =
      this.repStatus.status === 'in-call' || this.repStatus.status === 'wrap-up'
        ? { ...this.repStatus, chosen: status }
        : { status, chosen: status };
    return Promise.resolve({ ...this.repStatus });
  });
  readonly intake = jest.fn((_token: string) => Promise.resolve({ ...this.intakeState }));
  readonly pauseIntake = jest.fn((_token: string, _minutes?: number) => Promise.resolve({ ...this.intakeState }));
  readonly resumeIntake = jest.fn((_token: string) => Promise.resolve({ ...this.intakeState }));
  readonly callbackFigures = jest.fn((_token: string) => Promise.resolve({ ...this.figures }));
  readonly feedback = jest.fn((_token: string, _days: number, _comments?: boolean) => Promise.resolve(copy(this.feedbackReport)));
}

/** A fresh copy, so a page that keeps the answer never shares it with the test's fields. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
