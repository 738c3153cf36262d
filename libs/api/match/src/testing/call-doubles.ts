import type { CustomerState, RepState } from '@servicekit/contracts';
import { CallNotifier, CustomerDetails, CustomerPresence, HelpSessionFacts } from '../lib/match.ports';

/** A CallNotifier that keeps what it was asked to push, in order. */
export class RecordingNotifier extends CallNotifier {
  readonly customers: { helpSessionId: string; state: CustomerState }[] = [];
  readonly reps: { repId: string; state: RepState }[] = [];

  async customer(helpSessionId: string, state: CustomerState): Promise<void> {
    this.customers.push({ helpSessionId, state });
  }

  async rep(repId: string, state: RepState): Promise<void> {
    this.reps.push({ repId, state });
  }

  /** The states pushed to this customer, e.g. ['waiting', 'reserved', 'in-call']. */
  customerStates(helpSessionId: string): CustomerState['state'][] {
    return this.customers.filter((entry) => entry.helpSessionId === helpSessionId).map((entry) => entry.state.state);
  }

  repStates(repId: string): RepState['state'][] {
    return this.reps.filter((entry) => entry.repId === repId).map((entry) => entry.state.state);
  }
}

/** Customer presence as a test sets it: everyone present unless marked away or gone. */
export class SettablePresence extends CustomerPresence {
  readonly expected: string[] = [];
  readonly verdicts = new Map<string, 'yes' | 'gone' | 'later'>();

  async expect(helpSessionId: string): Promise<void> {
    this.expected.push(helpSessionId);
  }

  async check(helpSessionId: string): Promise<'yes' | 'gone' | 'later'> {
    return this.verdicts.get(helpSessionId) ?? 'yes';
  }
}

/** Help sessions held in memory, as the match reads them. */
export class MemoryHelpSessions extends HelpSessionFacts {
  private readonly open = new Map<string, CustomerDetails>();
  private readonly ended = new Set<string>();

  /** A help session whose customer has these details. */
  add(helpSessionId: string, details: Partial<CustomerDetails> = {}): CustomerDetails {
    const customer = {
      customerName: 'Ada',
      problemText: 'My router blinks.',
      videoSessionId: 'p2p_video',
      createdAt: Date.now(),
      ...details,
    };
    this.open.set(helpSessionId, customer);
    return customer;
  }

  end(helpSessionId: string): void {
    this.open.delete(helpSessionId);
    this.ended.add(helpSessionId);
  }

  async customer(helpSessionId: string): Promise<CustomerDetails | null> {
    return this.open.get(helpSessionId) ?? null;
  }

  async hasEnded(helpSessionId: string): Promise<boolean> {
    return this.ended.has(helpSessionId);
  }

  async isOpen(helpSessionId: string): Promise<boolean> {
    return this.open.has(helpSessionId);
  }
}
