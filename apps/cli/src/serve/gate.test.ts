import { describe, expect, it } from 'vitest';
import { Gate } from './gate.js';

describe('Gate', () => {
  it('lets `limit` holders in at once and the others in arrival order', async () => {
    const gate = new Gate(2);
    const order: number[] = [];
    const a = await gate.acquire();
    const b = await gate.acquire();
    const waiting = [3, 4].map((n) => gate.acquire().then((release) => (order.push(n), release)));
    expect([gate.holders, gate.queued]).toEqual([2, 2]);
    a();
    a(); // a second release of the same turn does nothing
    const c = await waiting[0];
    expect(order).toEqual([3]);
    expect([gate.holders, gate.queued]).toEqual([2, 1]);
    b();
    const d = await waiting[1];
    c();
    d();
    expect(order).toEqual([3, 4]);
    expect([gate.holders, gate.queued]).toEqual([0, 0]);
    expect(() => new Gate(0)).toThrow(RangeError);
  });
});
