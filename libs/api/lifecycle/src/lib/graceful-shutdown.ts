import type { Server } from 'node:http';
import { INestApplication, LoggerService } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface GracefulShutdownOptions {
  /**
   * After SIGTERM, how long the instance goes on serving everything (new requests and sockets included) before
   * the drain starts, so that load balancers see readiness fail and stop sending here (default 0). SIGINT
   * (Ctrl-C at a terminal) skips it.
   */
  delayMs?: number;
  /** Called at once when the stop signal comes, before the delay: readiness turns 503 there. */
  onStopping?: () => void;
  /** Called when the drain starts: requests that wait for something (long polls) answer now. */
  onDraining?: () => void;
  /** How long requests in flight may take to finish once the drain started (default 10 s). */
  drainMs?: number;
  /** How long closing the application (sockets, store) may take after that (default 5 s). */
  closeMs?: number;
  logger: LoggerService;
  /** Ends the process; tests replace it. */
  exit?: (code: number) => void;
}

/**
 * Stops an instance without dropping work. On SIGTERM readiness turns 503 at once (`onStopping`) and the
 * instance goes on serving for `delayMs`, long enough for load balancers to notice and send elsewhere; then
 * it stops accepting connections, lets the requests in flight finish (at most `drainMs`; a rep's long poll
 * that outlasts it is aborted, which hands no customer out), and closes the application: presence sockets are
 * closed so their clients reconnect to another instance, and the store connection is closed. Shared state is
 * in the store, so nothing is lost (except with the in-process store, which lives and dies with this process).
 * Exits 0, or 1 if closing failed or overran.
 */
export class GracefulShutdown {
  private readonly inFlight = new Set<Response>();
  private stopping = false;
  private readonly drained = new Set<() => void>();
  private readonly delayMs: number;
  private readonly drainMs: number;
  private readonly closeMs: number;
  private readonly exit: (code: number) => void;

  constructor(private readonly options: GracefulShutdownOptions) {
    this.delayMs = options.delayMs ?? 0;
    this.drainMs = options.drainMs ?? 10_000;
    this.closeMs = options.closeMs ?? 5_000;
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  /** Mount first: counts requests in flight and, once stopping, asks keep-alive clients to go elsewhere. */
  readonly middleware: RequestHandler = (_req: Request, res: Response, next: NextFunction) => {
    this.inFlight.add(res);
    if (this.stopping) res.setHeader('Connection', 'close');
    res.once('close', () => {
      this.inFlight.delete(res);
      if (this.inFlight.size === 0) this.drained.forEach((resolve) => resolve());
    });
    next();
  };

  /** Shuts the app down on the first of these signals; a second one ends the process at once. */
  listen(app: INestApplication, signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.stopping) {
        this.options.logger.warn(`${signal} again: stopping now.`, 'Shutdown');
        this.exit(1);
        return;
      }
      void this.shutdown(app, signal, signal === 'SIGTERM' ? this.delayMs : 0).then((code) => this.exit(code));
    };
    signals.forEach((signal) => process.on(signal, onSignal));
  }

  /** Turns readiness to 503, serves on for `delayMs`, then drains and closes; resolves with the exit code. */
  async shutdown(app: INestApplication, signal: string, delayMs = this.delayMs): Promise<number> {
    const { logger } = this.options;
    this.stopping = true;
    logger.log(
      delayMs > 0
        ? `${signal} received: serving for another ${delayMs} ms so that load balancers stop sending here.`
        : `${signal} received.`,
      'Shutdown',
    );
    this.options.onStopping?.();
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));

    const server = app.getHttpServer() as Server;
    logger.log(`Draining: no new connections; waiting for ${this.inFlight.size} request(s) in flight.`, 'Shutdown');
    // Their connections close once they are answered: the clients' next requests go to another instance.
    this.inFlight.forEach((res) => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    });
    server.close();
    server.closeIdleConnections();
    this.options.onDraining?.();

    if (!(await this.idleWithin(this.drainMs))) {
      logger.warn(`${this.inFlight.size} request(s) still running after ${this.drainMs} ms: closing their connections.`, 'Shutdown');
      server.closeAllConnections();
    }

    let timer: NodeJS.Timeout | undefined;
    const overran = new Promise<'overran'>((resolve) => {
      timer = setTimeout(() => resolve('overran'), this.closeMs);
    });
    try {
      const outcome = await Promise.race([app.close().then(() => 'closed' as const), overran]);
      if (outcome === 'overran') {
        logger.error(`Closing took longer than ${this.closeMs} ms: stopping anyway.`, 'Shutdown');
        return 1;
      }
      logger.log('Stopped cleanly.', 'Shutdown');
      return 0;
    } catch (error) {
      logger.error(`Closing failed: ${(error as Error).message}`, 'Shutdown');
      return 1;
    } finally {
      clearTimeout(timer);
    }
  }

  private idleWithin(ms: number): Promise<boolean> {
    if (this.inFlight.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (idle: boolean) => {
        clearTimeout(timer);
        this.drained.delete(onDrained);
        resolve(idle);
      };
      const onDrained = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.drained.add(onDrained);
    });
  }
}
