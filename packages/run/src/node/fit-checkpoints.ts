import { LatentkitError, isLatentkitError, type ModelBundle, type ReducerPlugin } from '@latentkit/core';
import { writeBundleDir } from '@latentkit/node-fs';

/**
 * One fit's checkpoints, shared by fitAndSave and fitStreamAndSave: the hook that writes every epoch's state to
 * the checkpoint folder, and the error a failed fit ends with.
 */
export interface FitCheckpoints {
  readonly onCheckpoint: (bundle: ModelBundle, epoch: number) => Promise<void>;
  /**
   * The error to throw for a failed fit: a cancelled or diverged fit says where its last good checkpoint is, so
   * the user can continue instead of starting over; a plain error from a plugin is named after the reducer.
   */
  failure(e: unknown): unknown;
}

export function fitCheckpoints(dir: string, plugin: Pick<ReducerPlugin, 'kind' | 'package'>, protect: { readonly protect?: readonly string[] }): FitCheckpoints {
  let epochSaved = 0;
  return {
    async onCheckpoint(bundle, epoch) {
      await writeBundleDir(dir, bundle, { force: true, ...protect });
      epochSaved = epoch;
    },
    failure(e) {
      if (epochSaved > 0 && isLatentkitError(e) && (e.code === 'E_ABORTED' || e.code === 'E_DIVERGED')) {
        return new LatentkitError(e.code, `${e.message}; the last good checkpoint (epoch ${epochSaved}) is in ${dir}: continue with --resume`, { cause: e });
      }
      if (isLatentkitError(e)) return e;
      const from = plugin.package ? ` (${plugin.package.name})` : '';
      return new LatentkitError('E_PLUGIN', `reducer "${plugin.kind}"${from} failed to fit: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    },
  };
}
