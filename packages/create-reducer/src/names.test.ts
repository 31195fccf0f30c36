import { describe, expect, it } from 'vitest';
import { namesFor } from './names.js';

describe('namesFor', () => {
  it('derives the reducer kind from plain, prefixed and scoped names', () => {
    expect(namesFor('nmf')).toMatchObject({ packageName: 'nmf', kind: 'nmf', className: 'Nmf' });
    expect(namesFor('latentkit-reducer-kernel-pca')).toMatchObject({ packageName: 'latentkit-reducer-kernel-pca', kind: 'kernel-pca', className: 'KernelPca' });
    expect(namesFor('@acme/sparse.coding')).toMatchObject({ packageName: '@acme/sparse.coding', kind: 'sparse-coding', className: 'SparseCoding' });
  });

  it('says why a name cannot be used', () => {
    expect(namesFor('My Reducer')).toMatch(/not a valid npm package name/);
    expect(namesFor('@acme/9lives')).toMatch(/must start with a letter/);
  });
});
