import { LatentkitError } from '@latentkit/core';

/** The file an export folder describes itself in, beside encoder/ and decoder/. */
export const EXPORT_MANIFEST_FILE = 'latentkit-export.json';
export const EXPORT_FORMAT = 'latentkit-layers-export';

/**
 * What an exported folder holds: the two LayersModels (paths relative to the folder) and the shapes a
 * reader needs to use them as a reducer. Both models work on flat rows ([D] → [d] → [D]); inputShape says
 * how a row folds back into an image.
 */
export interface LayersExportManifest {
  readonly format: typeof EXPORT_FORMAT;
  readonly formatVersion: 1;
  /** The reducer kind that was exported (information only). */
  readonly kind: string;
  readonly latentDim: number;
  readonly inputShape: readonly number[];
  readonly encoder: string;
  readonly decoder?: string;
}

export function parseExportManifest(bytes: Uint8Array, source: string): LayersExportManifest {
  const bad = (why: string) => new LatentkitError('E_INPUT_FORMAT', `${source}: ${why}`);
  let m: Partial<LayersExportManifest>;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes)) as Partial<LayersExportManifest>;
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  if (m?.format !== EXPORT_FORMAT) throw bad(`not a latentkit layers export (format should be "${EXPORT_FORMAT}")`);
  if (m.formatVersion !== 1) throw bad(`format version ${String(m.formatVersion)} is not supported (this latentkit reads 1)`);
  if (typeof m.encoder !== 'string') throw bad('names no encoder model.json');
  if (m.decoder !== undefined && typeof m.decoder !== 'string') throw bad('decoder must be a path');
  if (!Number.isInteger(m.latentDim) || (m.latentDim as number) < 1) throw bad(`latentDim ${String(m.latentDim)} is not a positive integer`);
  if (!Array.isArray(m.inputShape) || m.inputShape.some((d) => !Number.isInteger(d) || d < 1)) throw bad('inputShape must be a list of positive integers');
  return m as LayersExportManifest;
}
