import type { RepLoadNow } from './wait-estimate';

/**
 * The reps online and busy across every instance. A port: presence knows it (PresenceStats), and presence
 * sits above this lib; the composition root binds it.
 */
export abstract class StaffFigures {
  abstract snapshot(): Promise<RepLoadNow>;
}
