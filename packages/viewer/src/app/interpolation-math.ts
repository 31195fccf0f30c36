/** Mixes two codes: (1−α)·a + α·b, the straight line through latent space. */
export function mixCodes(a: Float32Array, b: Float32Array, alpha: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let j = 0; j < a.length; j++) out[j] = (1 - alpha) * a[j]! + alpha * b[j]!;
  return out;
}
