import { MAX_MESSAGE_DEPTH, MESSAGE_TOO_DEEP, nestingExceeds, refuseDeepMessages } from './bounded-messages';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('nestingExceeds', () => {
  it.each([
    [1, 0],
    [{}, 1],
    [{ kind: 'ice', candidate: { candidate: 'x' } }, 2],
    [[[[]]], 3],
  ])('should measure %j as %i deep', (value, depth) => {
    expect(nestingExceeds(value, depth)).toBe(false);
    if (depth > 0) expect(nestingExceeds(value, depth - 1)).toBe(true);
  });

  it('should walk 100,000 levels without running out of stack', () => {
    expect(nestingExceeds(nested(100_000), 8)).toBe(true);
  });

  it('should take binary attachments as leaves, however large', () => {
    expect(nestingExceeds({ sdp: Buffer.alloc(64 * 1024) }, 1)).toBe(false);
  });
});

describe('refuseDeepMessages', () => {
  it('should pass a message of the contract’s depth on to the handlers', () => {
    const next = jest.fn();
    refuseDeepMessages(['signal', { kind: 'ice', candidate: { candidate: 'x' } }, jest.fn()], next);
    expect(next).toHaveBeenCalledWith();
  });

  it('should drop a deeper message and say why in its acknowledgement', () => {
    const next = jest.fn();
    const ack = jest.fn();
    refuseDeepMessages(['signal', nested(MAX_MESSAGE_DEPTH + 1), ack], next);
    expect(next).not.toHaveBeenCalled();
    expect(ack).toHaveBeenCalledWith({ ok: false, error: MESSAGE_TOO_DEEP });
  });

  it('should drop a deep message without an acknowledgement too', () => {
    const next = jest.fn();
    refuseDeepMessages(['media:connected', nested(30_000)], next);
    expect(next).not.toHaveBeenCalled();
  });
});
