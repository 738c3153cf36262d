import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** Clock ticks per second of /proc/<pid>/stat (utime, stime). */
export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS;
}

/** Resident set size of a process, in KB, from /proc/<pid>/status. */
export function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

/** The counters of memcached's `stats` that count one client command each; their sum is the store calls. */
const CALL_COUNTERS = [
  'cmd_get',
  'cmd_set',
  'cmd_touch',
  'incr_hits',
  'incr_misses',
  'decr_hits',
  'decr_misses',
  'delete_hits',
  'delete_misses',
  'cas_hits',
  'cas_misses',
  'cas_badval',
] as const;

/**
 * Store calls as the memcached server itself counts them (its `stats`), read over a raw connection of our own
 * (`stats` counts in none of these). No instrumentation of the product.
 */
export class MemcachedCalls {
  private constructor(
    private readonly socket: import('node:net').Socket,
    private buffer = '',
  ) {}

  static open(host: string, port: number): Promise<MemcachedCalls> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new MemcachedCalls(socket)));
      socket.once('error', reject);
      socket.setNoDelay(true);
    });
  }

  /** Sum of the command counters so far. */
  async total(): Promise<number> {
    const stats = await this.stats();
    return CALL_COUNTERS.reduce((sum, name) => sum + (stats.get(name) ?? 0), 0);
  }

  stats(): Promise<Map<string, number>> {
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.buffer += chunk.toString('utf8');
        const end = this.buffer.indexOf('END\r\n');
        if (end < 0) return;
        const text = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 5);
        this.socket.off('data', onData);
        this.socket.off('error', reject);
        const stats = new Map<string, number>();
        for (const line of text.split('\r\n')) {
          const [, name, value] = line.split(' ');
          if (name !== undefined && value !== undefined) stats.set(name, Number(value));
        }
        resolve(stats);
      };
      this.socket.on('data', onData);
      this.socket.once('error', reject);
      this.socket.write('stats\r\n');
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** What one server process spent between two readings: CPU ms, store calls (memcached only) and wall ms. */
export interface Cost {
  cpuMs: number;
  calls: number;
  wallMs: number;
}

/** Reads a server's CPU and its store's call counter together, to measure what an action costs. */
export class CostMeter {
  constructor(
    private readonly pid: number,
    private readonly calls: MemcachedCalls | null,
  ) {}

  async reading(): Promise<Cost> {
    const calls = this.calls ? await this.calls.total() : 0;
    return { cpuMs: cpuMs(this.pid), calls, wallMs: performance.now() };
  }

  async measure<T>(action: () => Promise<T>): Promise<{ cost: Cost; result: T }> {
    const before = await this.reading();
    const result = await action();
    const after = await this.reading();
    return { cost: diff(before, after), result };
  }

  /** Background cost per ms of wall time (timers, inbox polling) while nothing is asked of the server. */
  async idleRate(windowMs: number): Promise<Cost> {
    const before = await this.reading();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = await this.reading();
    const cost = diff(before, after);
    return { cpuMs: cost.cpuMs / cost.wallMs, calls: cost.calls / cost.wallMs, wallMs: 1 };
  }
}

export function diff(before: Cost, after: Cost): Cost {
  return { cpuMs: after.cpuMs - before.cpuMs, calls: after.calls - before.calls, wallMs: after.wallMs - before.wallMs };
}
