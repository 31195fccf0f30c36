import { describe, expect, it } from 'vitest';
import { pointCountNote, scatterCapacity } from './scatter-capacity.js';

describe('scatter capacity', () => {
  it('is the square of the largest texture side', () => {
    expect(scatterCapacity(8192)).toBe(67_108_864);
    expect(scatterCapacity(0)).toBe(0);
  });

  it('says all points are drawn when they fit', () => {
    expect(pointCountNote(1_000_000, scatterCapacity(8192))).toEqual({ drawn: 1_000_000, text: 'All 1,000,000 points drawn.', partial: false });
  });

  it('says how many are not drawn when they do not fit (never silently)', () => {
    const note = pointCountNote(20_000, scatterCapacity(100));
    expect(note.drawn).toBe(10_000);
    expect(note.partial).toBe(true);
    expect(note.text).toBe("Showing the first 10,000 of 20,000 points: this browser's WebGL holds at most 10,000 points in one scatter. The other 10,000 are not drawn.");
  });
});
