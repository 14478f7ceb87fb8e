import { describe, expect, it } from 'vitest';
import { maskError } from '../src/errors';

describe('maskError', () => {
  it('keeps a domain error’s public extensions and drops the internal ones', () => {
    const masked = maskError(
      {
        message: 'not enough credit',
        path: ['redeem'],
        extensions: {
          code: 'INSUFFICIENT_FUNDS',
          available: 12,
          serviceName: 'funds',
          stacktrace: ['Error: not enough credit', '    at …'],
          exception: { stacktrace: [] },
        },
      },
      'req-1',
    );
    expect(masked).toEqual({
      message: 'not enough credit',
      path: ['redeem'],
      extensions: { code: 'INSUFFICIENT_FUNDS', available: 12, requestId: 'req-1' },
    });
  });

  it('keeps request-pipeline codes raised by the gateway itself', () => {
    const masked = maskError(
      { message: 'Syntax Error: Unexpected "}"', extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
      'r',
    );
    expect(masked.message).toBe('Syntax Error: Unexpected "}"');
  });

  it('masks request-pipeline codes coming back from a subgraph (a bad subquery is internal)', () => {
    const masked = maskError(
      {
        message: 'Cannot query field "secretColumn"',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', serviceName: 'funds' },
      },
      'r',
    );
    expect(masked).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'r' },
    });
  });

  it('masks errors without a code', () => {
    expect(maskError({ message: 'ECONNREFUSED 10.0.0.3:5432' }, 'r').message).toBe('Internal server error');
  });
});
