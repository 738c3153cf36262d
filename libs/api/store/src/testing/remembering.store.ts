import { InMemoryStore } from '../lib/in-memory.store';

/** The in-process store, remembering every key written, so a test can read back all that is still held. */
export class RememberingStore extends InMemoryStore {
  readonly written = new Set<string>();

  override async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.written.add(key);
    return super.set(key, value, ttlSeconds);
  }

  override async add(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    this.written.add(key);
    return super.add(key, value, ttlSeconds);
  }

  override async increment(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number> {
    this.written.add(key);
    return super.increment(key, by, options);
  }

  /** The keys written that still hold a value. */
  async liveKeys(): Promise<string[]> {
    const values = await Promise.all([...this.written].map(async (key) => [key, await this.get(key)] as const));
    return values.filter(([, value]) => value !== null).map(([key]) => key);
  }

  /** The keys whose value still contains the text. */
  async holding(text: string): Promise<string[]> {
    const values = await Promise.all([...this.written].map(async (key) => ({ key, value: await this.get(key) })));
    return values.filter(({ value }) => value?.includes(text)).map(({ key }) => key);
  }
}
