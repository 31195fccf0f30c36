import { createMatrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { imageHealth } from './image-health.js';

const images = (rows: number[][]) => createMatrix(rows.length, rows[0]!.length, rows.flat());

describe('imageHealth', () => {
  it('passes varied digits-like images', () => {
    expect(imageHealth(images([[0, 0.9, 0.1, 0], [0.8, 0, 0, 0.3]]))).toEqual({ ok: true, defects: [], summary: '' });
  });

  it('flags what a collapsed autoencoder draws: blank, flat, identical, non-finite', () => {
    expect(imageHealth(images([[0, 0.01, 0, 0], [0.002, 0, 0, 0]]))).toMatchObject({ ok: false, defects: ['blank'], summary: 'all 2 images are blank (max pixel 0.010)' });
    expect(imageHealth(images([[0.3, 0.3, 0.3, 0.3], [0.6, 0.6, 0.6, 0.6]])).defects).toEqual(['constant']);
    expect(imageHealth(images([[0, 0.9, 0.2, 0], [0, 0.9, 0.2, 0], [0, 0.9, 0.2, 0]]))).toMatchObject({ defects: ['identical'], summary: 'all 3 images are the same picture' });
    expect(imageHealth(images([[0, NaN, 0.5, 1], [1, 0, 0.5, 0]])).defects).toEqual(['non-finite']);
  });

  it('a single image is never "identical", and an empty set is flagged', () => {
    expect(imageHealth(images([[0, 1, 0, 1]])).ok).toBe(true);
    expect(imageHealth(createMatrix(0, 4)).ok).toBe(false);
  });
});
