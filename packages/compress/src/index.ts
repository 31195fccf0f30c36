// Learned compression: a reducer's codes quantised per dimension and entropy-coded into a self-describing
// file, decoded back with the same model; PNG/gzip baselines and rate–distortion sweeps. Browser-safe.
export { fitQuantiser, quantise, dequantise, stepOf, checkBits, MAX_BITS, type UniformQuantiser } from './quantiser.js';
export { entropyEncode, entropyDecode, deflateCoder, type EntropyCoder } from './entropy.js';
export { writeCompressedFile, readCompressedFile, MAGIC, FORMAT_VERSION, type CompressedHeader, type CompressedFile, type ModelReference } from './format.js';
export { compressCodes, compressImages, decompressCodes, decompressImages, assertModelMatches, modelReference, type CompressOptions, type DecompressOptions, type DecodedCodes } from './codec.js';
export { pixelBaselines, toBytes, fromBytes, type PixelBaseline } from './baselines.js';
export { rateDistortion, measureModel, rdMarkdown, rdSvg, rdTableRows, RD_TABLE_HEADER, DEFAULT_RD_BITS, type RdModel, type RdRow, type RdResult, type RdOptions } from './rate-distortion.js';
export { compressionSection, type CompressionSection } from './demo-section.js';
export { matrixToNpy } from './npy.js';
