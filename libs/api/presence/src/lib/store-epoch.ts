import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';

const EPOCH_TTL = 30 * 24 * 60 * 60;

/**
 * Tells when the store lost its keys (a memcached restart or flush): a random generation, created once with
 * `add`, that every instance reads now and then. When it is gone, or another one replaced it, whatever the
 * store held when this instance last looked may be gone too. A false alarm (the key expired or was evicted
 * alone) is harmless: recovery only writes back what is missing.
 *
 * Owns the store key `epoch`.
 */
@Injectable()
export class StoreEpoch {
  private known: string | null = null;

  constructor(private readonly store: KeyValueStore) {}

  /** The new generation when the store lost its keys since the last check, else null. The first check only learns it. */
  async check(): Promise<string | null> {
    let current = await this.store.get('epoch');
    if (current === null) {
      const fresh = randomBytes(6).toString('base64url');
      current = (await this.store.add('epoch', fresh, EPOCH_TTL)) ? fresh : await this.store.get('epoch');
      if (current === null) return null;
    }
    const lost = this.known !== null && current !== this.known;
    this.known = current;
    return lost ? current : null;
  }
}
