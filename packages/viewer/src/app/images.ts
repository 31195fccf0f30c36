/** Draws one sample (grey or RGB, row-major h×w×c) into a canvas at its native size; CSS scales it up. */
export function drawSample(canvas: HTMLCanvasElement, values: ArrayLike<number>, shape: readonly [number, number, number], max = 1): void {
  const [h, w, c] = shape;
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  const scale = 255 / max;
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < 3; k++) {
      const v = values[p * c + (c === 1 ? 0 : k)]! * scale;
      img.data[p * 4 + k] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    img.data[p * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** A new canvas showing one sample; `size` is its CSS width and height in pixels. */
export function sampleCanvas(values: ArrayLike<number>, shape: readonly [number, number, number], options: { size?: number; label?: string; max?: number } = {}): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = 'sample';
  const size = options.size ?? 56;
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  if (options.label) {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', options.label);
  }
  drawSample(canvas, values, shape, options.max ?? 1);
  return canvas;
}

/** A labelled figure: the sample over a short caption. */
export function figure(canvas: HTMLCanvasElement, caption: string): HTMLElement {
  const fig = document.createElement('figure');
  const cap = document.createElement('figcaption');
  cap.textContent = caption;
  fig.append(canvas, cap);
  return fig;
}
