import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/**
 * Readiness while the instance stops: down from the stop signal on, while the instance still serves
 * everything, so that load balancers stop sending here before the drain closes anything.
 */
@Injectable()
export class ShutdownHealthIndicator {
  private readonly logger = new Logger('Shutdown');
  private stopping = false;

  constructor(private readonly indicator: HealthIndicatorService) {}

  /** From now on readiness answers 503. Called once, at the stop signal; later calls change nothing. */
  markStopping(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.log('Readiness answers 503 from now on: this instance is stopping.');
  }

  isHealthy(key: string) {
    const check = this.indicator.check(key);
    return this.stopping ? check.down({ message: 'This instance is shutting down.' }) : check.up();
  }
}
