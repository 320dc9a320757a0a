import { describe, expect, it } from 'vitest';
import { CollabError, DataError, DivergenceError, UnknownIdError, UsageError } from './errors.js';

describe('error exit codes', () => {
  it('gives 2 to what the caller got wrong and 1 to bad content or a failed run', () => {
    // an unknown id is something the caller typed: the same kind of mistake as a bad flag
    const unknown = new UnknownIdError('user', 'no-such-user');
    expect(unknown).toBeInstanceOf(UsageError);
    expect(unknown.exitCode).toBe(2);
    expect(new UnknownIdError('item', 5).exitCode).toBe(2);
    expect(new UsageError('bad flag').exitCode).toBe(2);
    expect(new DataError('bad rating', { file: 'r.csv', line: 3 }).exitCode).toBe(1);
    expect(new DivergenceError('loss is NaN', 10).exitCode).toBe(1);
    expect(new CollabError('failed').exitCode).toBe(1);
    expect(unknown.name).toBe('UnknownIdError');
    expect(unknown.message).toBe('unknown user id "no-such-user": it is not in the training data');
  });
});
