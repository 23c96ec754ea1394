import { describe, expect, it } from 'vitest';
import { KeyedSlots, Slots } from './slots.js';

describe('Slots', () => {
  it('lets at most `limit` holders in and hands a released slot to the first waiter', async () => {
    const slots = new Slots(2);
    const a = await slots.acquire();
    const b = await slots.acquire();
    const order: string[] = [];
    const c = slots.acquire().then((release) => (order.push('c'), release));
    const d = slots.acquire().then((release) => (order.push('d'), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    a();
    a(); // a second release of the same slot frees nothing more
    const releaseC = await c;
    expect(order).toEqual(['c']);
    b();
    (await d)();
    releaseC();
    expect(order).toEqual(['c', 'd']);
    expect(slots.idle).toBe(true);
  });
});

describe('KeyedSlots', () => {
  it('limits each key on its own and forgets a key once nobody holds or waits for it', async () => {
    const slots = new KeyedSlots(1);
    const a1 = await slots.acquire('a');
    const b1 = await slots.acquire('b');
    let a2Held = false;
    const a2 = slots.acquire('a').then((release) => ((a2Held = true), release));
    await Promise.resolve();
    expect(a2Held).toBe(false);
    b1();
    expect(slots.size).toBe(1);
    a1();
    (await a2)();
    expect(a2Held).toBe(true);
    expect(slots.size).toBe(0);
  });
});
