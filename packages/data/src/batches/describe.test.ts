import { describe, expect, it } from 'vitest';
import { describeDataset, formatDescription } from './describe.js';
import { parseDelimited } from '../readers/delimited.js';

describe('describeDataset on signed scales and repeated pairs', () => {
  it('shows the rating range and says, in one line, when ratings are negative (Jester: -10 .. 10)', () => {
    const ds = parseDelimited('user,item,rating\n1,1,-9.5\n1,2,3.25\n2,1,-0.5\n2,3,10\n');
    const d = describeDataset(ds);
    expect(d).toMatchObject({ rating_min: -9.5, rating_max: 10, negative_ratings: 2 });
    const lines = formatDescription(d).split('\n');
    expect(lines).toContain('rating range -9.5 .. 10');
    expect(lines.filter((l) => /negative/.test(l))).toEqual(['negatives    2 of 4 ratings are below 0 (a signed scale, like Jester\'s -10 .. 10)']);
    const positive = describeDataset(parseDelimited('user,item,rating\n1,1,1\n1,2,0\n'));
    expect(positive.negative_ratings).toBe(0);
    expect(formatDescription(positive)).not.toMatch(/negative/);
  });

  it('reports repeated (user, item) pairs when the reader found some', () => {
    const d = describeDataset(parseDelimited('user,item,rating\n1,1,1\n1,1,2\n2,1,3\n'));
    expect(d.duplicates).toEqual({ pairs: 1, dropped: 1, policy: 'last' });
    expect(formatDescription(d)).toMatch(/^duplicates {3}1 duplicate \(user, item\) pair: kept the last by timestamp, dropped 1 row$/m);
    const clean = describeDataset(parseDelimited('user,item,rating\n1,1,1\n'));
    expect(clean.duplicates).toEqual({ pairs: 0, dropped: 0, policy: 'last' });
    expect(formatDescription(clean)).not.toMatch(/duplicate/);
  });
});
