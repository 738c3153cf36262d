import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { KeyValueStore } from '@servicekit/api/store';

/** Readiness: the store answers a ping, and how fast. */
@Injectable()
export class StoreHealthIndicator {
  constructor(
    private readonly store: KeyValueStore,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async isHealthy(key: string) {
    const check = this.indicator.check(key);
    try {
      const latencyMs = await this.store.ping();
      return check.up({ store: this.store.description, latencyMs: Math.round(latencyMs * 100) / 100 });
    } catch (error) {
      return check.down({ store: this.store.description, message: (error as Error).message });
    }
  }
}
