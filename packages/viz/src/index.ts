// PNG image grids (bytes / raw RGBA), SVG charts (strings) and data URIs. Browser-safe: no node: imports.
export type { RgbaImage } from './png/canvas.js';
export { imageGridRgba, type GridRow, type ImageGridOptions } from './png/image-grid.js';
export { imageGridPng } from './png/image-grid-png.js';
export { decodePng, type DecodedImage } from './png/png-codec.js';
export { toBitmapText, bitmapTextWidth } from './png/bitmap-text.js';
export { pngDataUri, svgDataUri, toBase64 } from './data-uri.js';
export { project2d, type Projection2d } from './project2d.js';
export {
  lineChartSvg,
  type ChartPoint,
  type ChartSeries,
  type LineChartOptions,
  type SeriesStyle,
} from './svg/line-chart.js';
export { latentScatterSvg, type LatentScatterOptions } from './svg/latent-scatter.js';
export { explainedVarianceSvg, type ExplainedVarianceOptions, type VarianceMarker } from './svg/explained-variance.js';
export { lossCurvesSvg, type LossCurvesOptions, type LossPoint } from './svg/loss-curves.js';
export { rateDistortionSvg, type RateDistortionOptions, type RatePoint, type RateReference } from './svg/rate-distortion.js';
export { niceTicks, niceNumber, logTicks, formatTick, type Ticks } from './svg/nice-ticks.js';
export { escapeXml } from './svg/escape.js';
export { imageHealth, type ImageHealth, type ImageDefect } from './image-health.js';
export { TABLEAU10, categoricalColor } from './svg/palette.js';
