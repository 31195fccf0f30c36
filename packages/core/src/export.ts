import type { Reducer } from './reducer.js';

/** Writes one file of an export, at a path relative to the export folder (apps stage and commit the folder). */
export type ExportWriter = (path: string, bytes: Uint8Array) => Promise<void>;

/**
 * A way to write a fitted model in a format other tools open (a TF.js LayersModel, NPY arrays …). Plugins
 * declare theirs in `ReducerPlugin.exporters`; apps ask the registry which of them offer a given model.
 */
export interface ModelExporter {
  /** Short format name for the command line, e.g. "layers" or "npy". */
  readonly format: string;
  readonly description: string;
  /** Whether this exporter can write this model (e.g. a layout it can express in the target format). */
  offers(model: Reducer): boolean;
  /** Writes the files through `write` and returns their paths (relative to the export folder). */
  export(model: Reducer, write: ExportWriter): Promise<readonly string[]>;
}
