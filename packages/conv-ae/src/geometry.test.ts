import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, encoderStages } from './index.js';

describe('encoderStages', () => {
  it('walks the lecture design 28 → 24 → 20 → 9 → 4 → 1', () => {
    const stages = encoderStages('conv-ae', [28, 28, 1], 16, DEFAULT_LAYOUT);
    expect(stages.map((s) => s.outSize[0])).toEqual([24, 20, 9, 4, 1]);
    expect(stages.map((s) => [s.inChannels, s.outChannels])).toEqual([[1, 16], [16, 16], [16, 32], [32, 32], [32, 16]]);
  });

  it('refuses layouts that miss 1×1 or do not fit, naming the sizes', () => {
    expect(() => encoderStages('conv-ae', [32, 32, 3], 8, DEFAULT_LAYOUT)).toThrow(expect.objectContaining({ code: 'E_SHAPE', message: expect.stringContaining('32×32 image to 2×2') }));
    expect(() => encoderStages('conv-ae', [8, 8, 1], 8, DEFAULT_LAYOUT)).toThrow(expect.objectContaining({ code: 'E_SHAPE', message: expect.stringContaining('layer 2') }));
    expect(() => encoderStages('conv-ae', [784], 8, DEFAULT_LAYOUT)).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => encoderStages('conv-ae', [28, 28, 1], 8, { ...DEFAULT_LAYOUT, strides: [1, 1, 2, 2] })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    expect(() => encoderStages('conv-ae', [28, 28, 1], 8, { ...DEFAULT_LAYOUT, channels: [32, 0, 32, 32] })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
});
