import { Injectable, Logger } from '@nestjs/common';
import { LocalSockets } from './local-sockets';
import { CustomerRecovery, RestoreKit } from './presence.ports';

/**
 * The restore kits of the customers connected to this instance (see RestoreKit): taken when a customer
 * connects and whenever their state changes kind (a few store reads each time), dropped with their last
 * socket here. Personal data in process memory only; never logged.
 */
@Injectable()
export class CustomerKits {
  private readonly logger = new Logger(CustomerKits.name);
  private readonly kits = new Map<string, RestoreKit>();
  /** One refresh at a time per customer, in order: a slow earlier one must not overwrite a newer kit. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly recovery: CustomerRecovery,
    private readonly sockets: LocalSockets,
  ) {
    sockets.onKindChange((id) => void this.refresh([id]));
  }

  /** Takes the kits of these customers afresh. Never rejects: a kit that could not be taken keeps the last one. */
  async refresh(helpSessionIds: string[]): Promise<void> {
    await Promise.all(
      helpSessionIds.map(async (id) => {
        const next = (this.running.get(id) ?? Promise.resolve()).then(() => this.take(id));
        this.running.set(id, next);
        await next;
        if (this.running.get(id) === next) this.running.delete(id);
      }),
    );
  }

  private async take(id: string): Promise<void> {
    try {
      const kit = await this.recovery.kit(id);
      if (kit && this.sockets.holds({ kind: 'customer', id })) this.kits.set(id, kit);
      else this.kits.delete(id);
    } catch (error) {
      this.logger.warn(`A restore kit could not be taken: ${(error as Error).message}`);
    }
  }

  forget(helpSessionId: string): void {
    this.kits.delete(helpSessionId);
  }

  /** The kits of the customers still connected here. */
  all(): RestoreKit[] {
    return [...this.kits.values()].filter(({ helpSessionId }) => this.sockets.holds({ kind: 'customer', id: helpSessionId }));
  }
}
