import { loadServiceKitConfig } from '@servicekit/api/config';
import type { HelpQueue } from '@servicekit/api/queue';
import type { KeyValueStore } from '@servicekit/api/store';
import { IntakeRecords } from '../lib/intake.records';
import { IntakeService } from '../lib/intake.service';
import { StaffFigures } from '../lib/staff-figures';
import type { RepLoadNow } from '../lib/wait-estimate';

/** Reps online and busy as the test sets them. */
export class SettableStaffFigures extends StaffFigures {
  load: RepLoadNow = { repsOnline: 0, repsBusy: 0 };

  async snapshot(): Promise<RepLoadNow> {
    return { ...this.load };
  }
}

/** An IntakeService on the test's store: always open, no limits, the reps online as `figures` says (one free rep by default). */
export function intakeFor(
  store: KeyValueStore,
  queue: HelpQueue,
  figures = new SettableStaffFigures(),
  env: Record<string, string> = {},
): IntakeService {
  if (figures.load.repsOnline === 0 && Object.keys(env).length === 0) figures.load = { repsOnline: 1, repsBusy: 0 };
  return new IntakeService(loadServiceKitConfig(env), new IntakeRecords(store), queue, figures, { figuresCacheMs: 0 });
}
