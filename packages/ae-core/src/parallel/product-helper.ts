import * as tf from '@tensorflow/tfjs';
import { gemmTeamStarter, type GemmTeamLease } from './pools.js';

/**
 * A helper thread for the large matrix products of a fit that trains on one thread although `requested`
 * threads were asked for: the idle cores are then better spent inside each product than on replicas whose
 * round trip costs more than their shard saves. Only the wasm backend's BatchMatMul uses it; results are
 * bitwise those of one thread. Undefined where no team can start (browser, no shared memory, another backend).
 */
export async function startProductHelper(requested: number, granted: number): Promise<GemmTeamLease | undefined> {
  const start = gemmTeamStarter();
  if (!start || granted !== 1 || requested < 2 || tf.getBackend() !== 'wasm') return undefined;
  try {
    return await start(tf.backend());
  } catch {
    return undefined; // the fit goes ahead on one thread, as before
  }
}
