import { emptyTally } from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import { addWholeWindows } from './dashboard.service.js';

const DAY = 86_400_000;

describe('a campaign’s whole windows (elders present all along)', () => {
  it('counts the windows opened so far: visited done, the open one open, the closed ones overdue', () => {
    const t = emptyTally();
    const visited = new Map([
      [0, 6],
      [1, 4],
      [2, 3],
    ]);
    addWholeWindows(t, 10, { start: 0, windowMs: DAY, windows: 5 }, visited, 2.5 * DAY);
    expect(t).toMatchObject({ due: 30, done: 13, open: 7, overdue: 10 });
  });

  it('keeps the last window whole after the campaign’s end, and none is open once it has passed', () => {
    const t = emptyTally();
    addWholeWindows(t, 10, { start: 0, windowMs: DAY, windows: 3 }, new Map([[2, 5]]), 2.9 * DAY);
    expect(t).toMatchObject({ due: 30, done: 5, open: 5, overdue: 20 });
    const after = emptyTally();
    addWholeWindows(after, 10, { start: 0, windowMs: DAY, windows: 3 }, new Map(), 9 * DAY);
    expect(after).toMatchObject({ due: 30, done: 0, open: 0, overdue: 30 });
  });

  it('counts nothing before the campaign starts', () => {
    const t = emptyTally();
    addWholeWindows(t, 10, { start: DAY, windowMs: DAY, windows: 3 }, new Map(), 0);
    expect(t).toEqual(emptyTally());
  });
});
