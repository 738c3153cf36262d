import { INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { loadServiceKitConfig, ServiceKitConfig } from '@servicekit/api/config';
import { ApiExceptionFilter, UnauthenticatedError } from '@servicekit/api/errors';
import { RepAuthenticator, RepSessions, RepStatusService } from '@servicekit/api/rep-auth';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { PresenceStats } from '@servicekit/api/presence';
import { FakePresenceStats } from '@servicekit/api/presence/testing';
import { HelpQueue } from '@servicekit/api/queue';
import { HelpSessionService } from '@servicekit/api/help-session';
import { CallbacksService } from '@servicekit/api/callbacks';
import { InMemoryStore, KeyValueStore } from '@servicekit/api/store';
import request = require('supertest');
import { OperatorGuard } from '../auth/operator.guard';
import { MetricsController } from '../metrics/metrics.controller';
import { OpsController } from './ops.controller';
import { QueueInspection } from './queue-inspection.service';

const OPS_TOKEN = 'unit-ops-token-0123456789';

const PERSONAL: Record<string, { customerName: string; problemText: string }> = {
  'hs-ada': { customerName: 'Ada Lovelace', problemText: 'The engine will not start.' },
  'hs-alan': { customerName: 'Alan Turing', problemText: 'The tape is stuck.' },
};

describe('OpsController and MetricsController', () => {
  let app: INestApplication;
  let store: InMemoryStore;
  let queue: HelpQueue;
  let presence: FakePresenceStats;

  beforeEach(async () => {
    store = new InMemoryStore();
    presence = new FakePresenceStats();
    const moduleRef = await Test.createTestingModule({
      controllers: [OpsController, MetricsController],
      providers: [
        QueueInspection,
        OperatorGuard,
        ServiceKitMetrics,
        HelpQueue,
        { provide: KeyValueStore, useValue: store },
        { provide: ServiceKitConfig, useValue: loadServiceKitConfig({ OPS_TOKEN }) },
        { provide: PresenceStats, useValue: presence },
        // No rep sessions here: only the operator token gets in.
        {
          provide: RepAuthenticator,
          useValue: { fromToken: () => Promise.reject(new UnauthenticatedError('This rep token is not valid.')) },
        },
        { provide: HelpSessionService, useValue: { personalData: async (id: string) => PERSONAL[id] ?? null } },
        RepStatusService,
        // Three reps signed in, for the status gauge.
        { provide: RepSessions, useValue: { live: async () => ['rep_1_a', 'rep_2_b', 'rep_3_c'].map((repId) => ({ repId })) } },
        { provide: CallbacksService, useValue: { figures: async () => ({ open: 2, claimed: 1, done: 0, notReached: 0 }) } },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    queue = app.get(HelpQueue);
  });

  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const asOperator = (path: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${OPS_TOKEN}`);

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', `Bearer ${OPS_TOKEN}x`],
    ['a token of another length', 'Bearer short'],
    ['another scheme', `Basic ${OPS_TOKEN}`],
  ])('should refuse %s with 401 JSON on both endpoints', async (_, authorization) => {
    for (const path of ['/ops/queue', '/metrics']) {
      const call = request(app.getHttpServer()).get(path);
      const reply = await (authorization ? call.set('Authorization', authorization) : call);
      expect(reply.status).toBe(401);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.body).toMatchObject({ statusCode: 401, code: 'unauthorized', message: expect.stringMatching(/operator token/) });
    }
  });

  it('should list the waiting customers in order with their waits and connections, without personal data', async () => {
    const now = Date.now();
    await queue.enqueue('hs-ada', now - 30_000);
    await queue.enqueue('hs-alan', now - 5_000);
    presence.connected.add('hs-ada');

    const reply = await asOperator('/ops/queue');

    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).toMatchObject({
      queueLength: 2,
      oldestWaitMs: expect.any(Number),
      repsOnline: 3,
      repsBusy: 1,
      callsInProgress: 1,
      generatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(reply.body.oldestWaitMs).toBeGreaterThanOrEqual(30_000);
    expect(reply.body.waiting).toEqual([
      { helpSessionId: 'hs-ada', position: 1, waitedMs: expect.any(Number), connected: true },
      { helpSessionId: 'hs-alan', position: 2, waitedMs: expect.any(Number), connected: false },
    ]);
    expect(reply.body.waiting[0].waitedMs).toBeGreaterThanOrEqual(30_000);
    expect(reply.text).not.toMatch(/Ada Lovelace|engine|Alan Turing|tape/);
  });

  it('should add names and problems only with pii=1', async () => {
    await queue.enqueue('hs-ada');
    const reply = await asOperator('/ops/queue?pii=1');
    expect(reply.body.waiting).toEqual([
      expect.objectContaining({ helpSessionId: 'hs-ada', customerName: 'Ada Lovelace', problemText: 'The engine will not start.' }),
    ]);
    expect((await asOperator('/ops/queue?pii=0')).text).not.toContain('Ada Lovelace');
  });

  it('should answer an empty queue with zeros', async () => {
    const reply = await asOperator('/ops/queue');
    expect(reply.body).toMatchObject({ queueLength: 0, oldestWaitMs: 0, waiting: [] });
  });

  it('should serve Prometheus text with the queue gauges read at scrape time', async () => {
    await queue.enqueue('hs-ada', Date.now() - 10_000);
    const reply = await asOperator('/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(reply.text).toMatch(/^servicekit_queue_depth 1$/m);
    expect(reply.text).toMatch(/^servicekit_reps_online 3$/m);
    expect(reply.text).toMatch(/^servicekit_callbacks\{state="open"\} 2$/m);
    expect(reply.text).toMatch(/^servicekit_callbacks\{state="claimed"\} 1$/m);
    const oldest = Number(/^servicekit_oldest_wait_seconds (\S+)$/m.exec(reply.text)?.[1]);
    expect(oldest).toBeGreaterThanOrEqual(10);
    expect(reply.text).toContain('# TYPE servicekit_matches_total counter');
  });

  it('should count the signed-in reps by status at scrape time, every status present', async () => {
    const status = app.get(RepStatusService);
    await status.choose('rep_2_b', 'away');
    await status.callStarted('rep_3_c');
    const reply = await asOperator('/metrics');
    expect(reply.text).toMatch(/^servicekit_reps_by_status\{status="available"\} 1$/m);
    expect(reply.text).toMatch(/^servicekit_reps_by_status\{status="away"\} 1$/m);
    expect(reply.text).toMatch(/^servicekit_reps_by_status\{status="in-call"\} 1$/m);
    expect(reply.text).toMatch(/^servicekit_reps_by_status\{status="wrap-up"\} 0$/m);
  });
});
