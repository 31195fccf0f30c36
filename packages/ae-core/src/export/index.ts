export type { AutoencoderLayers, BatchNormLayerSpec, ConvLayerSpec, DenseLayerSpec, KerasActivation, LayerSpec, SequentialSpec, WeightArray } from './layer-spec.js';
export { weightArray } from './layer-spec.js';
export { buildSequential } from './sequential.js';
export { layersModelFiles, loadLayersModelFrom, WEIGHTS_FILE, type ExportReader, type ExportWriter, type LayersModelFiles } from './layers-model-files.js';
export { EXPORT_FORMAT, EXPORT_MANIFEST_FILE, parseExportManifest, type LayersExportManifest } from './export-manifest.js';
export { autoencoderLayersExporter, writeAutoencoderLayers, type ModelExporter } from './autoencoder-export.js';
