import { ArgumentsHost, Catch, Logger, WsExceptionFilter } from '@nestjs/common';
import { StoreError } from '@servicekit/api/store';

/**
 * What a presence handler's unexpected failure becomes: a sentence in the acknowledgement, and a log line.
 * Nest's own filter would emit an "exception" event carrying the whole message back (a deep one then
 * overflowed the stack while being encoded, and crashed the process).
 */
@Catch()
export class PresenceExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger('PresenceGateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const storeDown = exception instanceof StoreError;
    const reason = exception instanceof Error ? exception.message : String(exception);
    if (storeDown) this.logger.warn(`A presence message could not be handled: ${reason}`);
    else this.logger.error(exception instanceof Error ? (exception.stack ?? reason) : reason);
    const ack = host.getArgByIndex<unknown>(2);
    if (typeof ack !== 'function') return;
    (ack as (result: { ok: false; error: string }) => void)({
      ok: false,
      error: storeDown
        ? 'The service cannot reach its data store right now. Please try again in a moment.'
        : 'Something went wrong on our side. Please try again.',
    });
  }
}
