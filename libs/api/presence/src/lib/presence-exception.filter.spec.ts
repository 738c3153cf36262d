import type { ArgumentsHost } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { StoreError } from '@servicekit/api/store';
import { PresenceExceptionFilter } from './presence-exception.filter';

function hostWith(ack: unknown, data: unknown): ArgumentsHost {
  return { getArgByIndex: (index: number) => [{ emit: jest.fn() }, data, ack][index] } as unknown as ArgumentsHost;
}

describe('PresenceExceptionFilter', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('should answer an unexpected failure with a sentence in the acknowledgement, never the message itself', () => {
    const ack = jest.fn();
    new PresenceExceptionFilter().catch(new RangeError('Maximum call stack size exceeded'), hostWith(ack, { secret: 'the payload' }));
    expect(ack).toHaveBeenCalledWith({ ok: false, error: 'Something went wrong on our side. Please try again.' });
    expect(JSON.stringify(ack.mock.calls)).not.toContain('the payload');
  });

  it('should say that the store is unreachable when it is', () => {
    const ack = jest.fn();
    new PresenceExceptionFilter().catch(new StoreError('timeout', 'Memcached at 10.0.0.5:11211 did not answer.'), hostWith(ack, {}));
    expect(ack).toHaveBeenCalledWith({
      ok: false,
      error: 'The service cannot reach its data store right now. Please try again in a moment.',
    });
  });

  it('should do nothing more for a message sent without an acknowledgement', () => {
    expect(() => new PresenceExceptionFilter().catch(new Error('boom'), hostWith(undefined, {}))).not.toThrow();
  });
});
