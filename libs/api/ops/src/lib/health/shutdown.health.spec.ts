import { Test } from '@nestjs/testing';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ShutdownHealthIndicator } from './shutdown.health';

async function indicator() {
  const moduleRef = await Test.createTestingModule({ providers: [ShutdownHealthIndicator, HealthIndicatorService] }).compile();
  moduleRef.useLogger(false);
  return moduleRef.get(ShutdownHealthIndicator);
}

describe('ShutdownHealthIndicator', () => {
  it('should be up while the instance runs', async () => {
    expect((await indicator()).isHealthy('shutdown')).toEqual({ shutdown: { status: 'up' } });
  });

  it('should be down from the stop signal on, and stay down', async () => {
    const shutdown = await indicator();
    shutdown.markStopping();
    shutdown.markStopping();
    expect(shutdown.isHealthy('shutdown')).toEqual({ shutdown: { status: 'down', message: 'This instance is shutting down.' } });
  });
});
