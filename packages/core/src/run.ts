import { LatentkitError } from './errors.js';

/**
 * A run folder (written by `latentkit demo` / `compare`, read by the report and the web viewer):
 *
 *   run.json                 this manifest
 *   points/images.bin        uint8, n × D pixel values ×255 (the points shown in the viewer)
 *   points/labels.bin        int32, n labels (absent when the data has none)
 *   points/split.bin         uint8, n flags: 0 = train, 1 = test
 *   <model.dir>/             a model bundle (manifest.json + .bin) with metrics.json
 *   <model.dir>/codes.bin    float32, n × d codes of the points
 *   <model.dir>/latent.json  fitted latent densities (gaussian, gmm) and anomaly scores of the test points
 *   compare.json, *.png, *.svg, report.html
 */
export const RUN_FORMAT = 'latentkit-run';
export const RUN_FORMAT_VERSION = 1;
export const RUN_MANIFEST_FILE = 'run.json';

export interface RunModel {
  /** Folder name inside the run, e.g. "conv-ae" or "conv-ae-d8". */
  readonly dir: string;
  readonly kind: string;
  readonly displayName: string;
  readonly latentDim: number;
  readonly testMse: number;
}

export interface RunManifest {
  readonly format: typeof RUN_FORMAT;
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly seed: number;
  readonly data: {
    readonly spec: string;
    readonly name: string;
    readonly n: number;
    readonly features: number;
    readonly imageShape?: readonly [number, number, number];
    readonly labelNames?: readonly string[];
    readonly hasLabels: boolean;
  };
  readonly models: readonly RunModel[];
  /** Free-form facts: versions, timings, options. */
  readonly info?: Readonly<Record<string, unknown>>;
}

export function parseRunManifest(text: string, source = RUN_MANIFEST_FILE): RunManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source} is not valid JSON (${(e as Error).message})`);
  }
  const m = raw as Partial<RunManifest> | null;
  if (!m || typeof m !== 'object' || m.format !== RUN_FORMAT) throw new LatentkitError('E_INPUT_FORMAT', `${source} is not a latentkit run manifest`);
  if (m.formatVersion !== RUN_FORMAT_VERSION) {
    throw new LatentkitError('E_BUNDLE_VERSION', `${source}: run format version ${JSON.stringify(m.formatVersion)} is not supported (this latentkit reads version ${RUN_FORMAT_VERSION})`);
  }
  if (!m.data || typeof m.data.n !== 'number' || typeof m.data.features !== 'number') throw new LatentkitError('E_INPUT_FORMAT', `${source}: missing data description`);
  if (!Array.isArray(m.models)) throw new LatentkitError('E_INPUT_FORMAT', `${source}: missing models`);
  for (const model of m.models) {
    if (typeof model?.dir !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(model.dir) || model.dir.startsWith('.')) {
      throw new LatentkitError('E_INPUT_FORMAT', `${source}: invalid model folder ${JSON.stringify(model?.dir)}`);
    }
  }
  return m as RunManifest;
}
