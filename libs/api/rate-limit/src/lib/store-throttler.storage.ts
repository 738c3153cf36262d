import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { KeyValueStore } from '@servicekit/api/store';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * Rate-limit counters in the shared store, so a limit holds across every API instance: a fixed window per
 * client key, counted with the store's atomic increment.
 *
 * The client key is derived from the client's address, which is personal data in many jurisdictions. A plain
 * hash of it can be reversed by trying every IPv4 address, so the store only sees a keyed hash (HMAC with a
 * key derived from the server's secret): without the secret, a key in the store says nothing about who.
 */
@Injectable()
export class StoreThrottlerStorage implements ThrottlerStorage {
  private readonly hashKey: Buffer;

  constructor(
    private readonly store: KeyValueStore,
    secret: string,
  ) {
    this.hashKey = createHmac('sha256', secret).update('servicekit rate-limit keys').digest();
  }

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const window = Math.floor(now / ttl);
    const windowEnds = (window + 1) * ttl;
    const hashed = createHmac('sha256', this.hashKey).update(key).digest('base64url').slice(0, 32);
    const hits = await this.store.increment(`rl:${throttlerName}:${hashed}:${window}`, 1, {
      initial: 1,
      ttlSeconds: Math.max(2, Math.ceil(ttl / 1000) + 1),
    });
    const timeToExpire = Math.max(1, Math.ceil((windowEnds - now) / 1000));
    return { totalHits: hits, timeToExpire, isBlocked: hits > limit, timeToBlockExpire: hits > limit ? timeToExpire : 0 };
  }
}
