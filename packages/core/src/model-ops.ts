import { requireCapability } from './capabilities.js';
import type { Matrix } from './matrix.js';
import type { Reducer } from './reducer.js';

/** z = f(x), or E_UNSUPPORTED naming the reducer and what needed it. */
export function encodeWith(model: Reducer, x: Matrix, need?: string): Promise<Matrix> {
  requireCapability(model, 'encode', need);
  return model.encode!(x);
}

/** x̂ = g(z), or E_UNSUPPORTED. */
export function decodeWith(model: Reducer, z: Matrix, need?: string): Promise<Matrix> {
  requireCapability(model, 'decode', need);
  return model.decode!(z);
}

/** x̂ = g(f(x)): needs both encode and decode. */
export async function reconstruct(model: Reducer, x: Matrix, need = 'reconstruction'): Promise<Matrix> {
  requireCapability(model, 'decode', need);
  return decodeWith(model, await encodeWith(model, x, need), need);
}

/** Whether the model can reconstruct its input (encode and decode). */
export function canReconstruct(model: { readonly capabilities: readonly string[] }): boolean {
  return model.capabilities.includes('encode') && model.capabilities.includes('decode');
}
