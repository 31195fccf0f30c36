import type { Matrix } from '@latentkit/core';

/** Points as the WebGL scatter takes them: normalised device coordinates, one column per axis. */
export interface NdcPoints {
  readonly x: Float32Array;
  readonly y: Float32Array;
}

/** Part of [−1, 1] the points fill, so the outermost ones are not cut by the canvas edge. */
const FILL = 0.92;

/**
 * Maps the first `count` rows of an n×2 projection to normalised device coordinates (what regl-scatterplot
 * draws), centred, with one scale for both axes so the plot keeps the projection's shape. The scatter shows
 * [−1, 1] along its shorter side and more along the longer one, so on a plot `aspect` (width / height) times as
 * wide as high the points may fill ±FILL·aspect across and ±FILL down.
 */
export function toNdc(points: Matrix, count = points.rows, aspect = 1): NdcPoints {
  const n = Math.min(count, points.rows);
  const { data } = points;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const px = data[2 * i]!, py = data[2 * i + 1]!;
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  const a = Number.isFinite(aspect) && aspect > 0 ? aspect : 1;
  const halfX = (maxX - minX) / 2 / Math.max(1, a);
  const halfY = (maxY - minY) / 2 / Math.max(1, 1 / a);
  const scale = FILL / Math.max(halfX, halfY, 1e-12);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (data[2 * i]! - cx) * scale;
    y[i] = (data[2 * i + 1]! - cy) * scale;
  }
  return { x, y };
}

/**
 * The nearest point to `from` whose direction lies within 45° of (dx, dy) (y up), or null. The scatter maps
 * these coordinates to the screen with one scale and no rotation, so "nearest on screen" is nearest here.
 */
export function neighbourInDirection(points: NdcPoints, from: number, dx: number, dy: number): number | null {
  const { x, y } = points;
  const fx = x[from]!, fy = y[from]!;
  let best: number | null = null;
  let bestD = Infinity;
  for (let i = 0; i < x.length; i++) {
    if (i === from) continue;
    const ex = x[i]! - fx, ey = y[i]! - fy;
    const along = ex * dx + ey * dy;
    const d = ex * ex + ey * ey;
    if (along <= 0 || along * along < 0.5 * d) continue;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** The point nearest to (px, py), or null when there are none. */
export function nearestPoint(points: NdcPoints, px: number, py: number): number | null {
  let best: number | null = null;
  let bestD = Infinity;
  for (let i = 0; i < points.x.length; i++) {
    const d = (points.x[i]! - px) ** 2 + (points.y[i]! - py) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
