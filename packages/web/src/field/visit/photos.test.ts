import { describe, expect, it } from 'vitest';
import { fitWithin, sizeWords } from './photos';

describe('photo compression sizes', () => {
  it('shrinks a phone photo to 1600 px on its longest side, keeping its shape', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 });
  });

  it('never enlarges a small photo', () => {
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
    expect(fitWithin(1600, 900)).toEqual({ width: 1600, height: 900 });
  });

  it('states sizes in KB and MB', () => {
    expect(sizeWords(512)).toBe('512 B');
    expect(sizeWords(320 * 1024)).toBe('320 KB');
    expect(sizeWords(1.45 * 1024 * 1024)).toBe('1.4 MB');
  });
});
