import { describe, expect, it } from 'vitest';
import { createMatrix, createRng, LatentkitError } from '@latentkit/core';
import { explainedVarianceSvg, latentScatterSvg, lineChartSvg, lossCurvesSvg } from '../index.js';
import { attrsOf, countOf, parseSvg } from './__fixtures__/svg-check.js';

describe('lineChartSvg', () => {
  const chart = lineChartSvg({
    series: [
      { label: 'a', points: [{ x: 0, y: 0 }, { x: 1, y: 2 }, { x: 2, y: 1 }] },
      { label: 'b', points: [{ x: 0, y: 1 }, { x: 2, y: 3 }], style: 'points' },
    ],
    title: 'T',
    xLabel: 'epoch',
    yLabel: 'loss',
    width: 500,
    height: 300,
  });

  it('is a self-contained, well-formed SVG with size, viewBox, title and axis labels', () => {
    const svg = parseSvg(chart);
    expect(svg.width).toBe('500');
    expect(svg.height).toBe('300');
    expect(svg.viewBox).toBe('0 0 500 300');
    expect(svg.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(svg.title).toBe('T');
    expect(chart).toContain('>epoch</text>');
    expect(chart).toContain('>loss</text>');
    expect(chart).not.toMatch(/href|@import|url\((?!#)/);
  });

  it('maps data onto the frame: the domain ends land on the frame edges', () => {
    const [fx] = attrsOf(chart, 'class="frame"', 'x');
    const [fy] = attrsOf(chart, 'class="frame"', 'y');
    const [fw] = attrsOf(chart, 'class="frame"', 'width');
    const [fh] = attrsOf(chart, 'class="frame"', 'height');
    // y ticks 0..3 (step 0.5) and x ticks 0..2: point (2, 3) is the top-right corner, (0, 1) a third up the left edge.
    const cx = attrsOf(chart, 'class="point"', 'cx');
    const cy = attrsOf(chart, 'class="point"', 'cy');
    expect(cx[1]).toBeCloseTo(fx! + fw!, 1);
    expect(cy[1]).toBeCloseTo(fy!, 1);
    expect(cx[0]).toBeCloseTo(fx!, 1);
    expect(cy[0]).toBeCloseTo(fy! + (fh! * 2) / 3, 1);
  });

  it('is deterministic and breaks lines at non-finite points', () => {
    const again = lineChartSvg({
      series: [{ label: 'a', points: [{ x: 0, y: 1 }, { x: 1, y: NaN }, { x: 2, y: 2 }, { x: 3, y: 1 }] }],
    });
    expect(again).toBe(lineChartSvg({ series: [{ label: 'a', points: [{ x: 0, y: 1 }, { x: 1, y: NaN }, { x: 2, y: 2 }, { x: 3, y: 1 }] }] }));
    const d = /<path class="line" d="([^"]+)"/.exec(again)![1]!;
    expect(countOf(d, 'M')).toBe(2);
    expect(countOf(d, 'L')).toBe(1);
  });

  it('escapes markup characters in titles, labels and legend text', () => {
    const nasty = 'a<b & "c" \'d\' >';
    const svg = lineChartSvg({ series: [{ label: nasty, points: [{ x: 0, y: 0 }] }], title: nasty, xLabel: nasty });
    const parsed = parseSvg(svg);
    expect(parsed.title).toBe(nasty);
    expect(svg).toContain('a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt;');
    expect(svg).not.toContain(nasty);
  });
});

describe('latentScatterSvg', () => {
  const rng = createRng(5);
  const n = 57;
  const points = createMatrix(n, 2, Float32Array.from({ length: 2 * n }, () => rng.normal()));
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 4);

  it('draws one dot per point and one legend entry per label, named and coloured by label', () => {
    const svg = latentScatterSvg({ points, labels, labelNames: ['zero', 'one', 'two', 'three'], title: 'MNIST <d=2>' });
    parseSvg(svg);
    expect(countOf(svg, 'class="point"')).toBe(n);
    expect(countOf(svg, 'class="legend-entry"')).toBe(4);
    for (const name of ['zero', 'one', 'two', 'three']) expect(svg).toContain(`>${name}</text>`);
    expect(svg).toContain('MNIST &lt;d=2&gt;');
    // Label 3 is Tableau's fourth colour on every point of that class.
    const classThree = labels.filter((l) => l === 3).length;
    expect(svg.match(/class="point"[^>]*fill="#76b7b2"/g)).toHaveLength(classThree);
    expect(classThree).toBeGreaterThan(0);
  });

  it('keeps every dot inside the plot frame', () => {
    const svg = latentScatterSvg({ points, labels });
    const [fx] = attrsOf(svg, 'class="frame"', 'x');
    const [fw] = attrsOf(svg, 'class="frame"', 'width');
    const [fy] = attrsOf(svg, 'class="frame"', 'y');
    const [fh] = attrsOf(svg, 'class="frame"', 'height');
    for (const cx of attrsOf(svg, 'class="point"', 'cx')) expect(cx >= fx! && cx <= fx! + fw!).toBe(true);
    for (const cy of attrsOf(svg, 'class="point"', 'cy')) expect(cy >= fy! && cy <= fy! + fh!).toBe(true);
  });

  it('omits the legend without labels and rejects mismatched input', () => {
    const svg = latentScatterSvg({ points });
    expect(countOf(svg, 'class="point"')).toBe(n);
    expect(countOf(svg, 'class="legend-entry"')).toBe(0);
    const codeOf = (fn: () => unknown): string => {
      try {
        fn();
        return 'none';
      } catch (e) {
        return (e as LatentkitError).code;
      }
    };
    expect(codeOf(() => latentScatterSvg({ points, labels: new Int32Array(3) }))).toBe('E_SHAPE');
    expect(codeOf(() => latentScatterSvg({ points: createMatrix(2, 3) }))).toBe('E_SHAPE');
    expect(codeOf(() => latentScatterSvg({ points: createMatrix(1, 2, [0, Infinity]) }))).toBe('E_INPUT_VALUE');
  });
});

describe('explainedVarianceSvg', () => {
  const ratios = [0.5, 0.25, 0.15, 0.1];
  const svg = explainedVarianceSvg({
    ratios,
    markers: [
      { label: 'dense AE', latentDim: 2, varianceExplained: 0.8 },
      { label: 'CNN AE', latentDim: 3, varianceExplained: 0.95 },
    ],
  });

  it('draws a bar per component, the cumulative curve and each marker in the legend', () => {
    parseSvg(svg);
    expect(countOf(svg, 'class="bar"')).toBe(4);
    expect(svg).toContain('>dense AE (d=2)</text>');
    expect(svg).toContain('>CNN AE (d=3)</text>');
    expect(countOf(svg, 'class="legend-entry"')).toBe(4);
  });

  it('reaches the top of the [0, 1] axis when the ratios sum to one', () => {
    const [fy] = attrsOf(svg, 'class="frame"', 'y');
    const [fh] = attrsOf(svg, 'class="frame"', 'height');
    const cumulative = /data-label="PCA cumulative">(.*?)<\/g>/.exec(svg)![1]!;
    const cy = attrsOf(cumulative, 'class="point"', 'cy');
    expect(cy).toHaveLength(4);
    expect(cy[3]).toBeCloseTo(fy!, 1);
    expect(cy[0]).toBeCloseTo(fy! + fh! * 0.5, 1);
  });

  it('rejects negative or non-finite ratios', () => {
    expect(() => explainedVarianceSvg({ ratios: [0.5, -0.1] })).toThrow(/ratio 2/);
  });
});

describe('lossCurvesSvg', () => {
  const series = [
    { label: 'dense', points: [1, 2, 3].map((e) => ({ epoch: e, loss: 1 / e, valLoss: 1.2 / e })) },
    { label: 'pca-free', points: [1, 2, 3].map((e) => ({ epoch: e, loss: 0.5 / e })) },
  ];

  it('draws solid training and dashed validation curves with a legend entry each', () => {
    const svg = lossCurvesSvg({ series, title: 'Loss' });
    parseSvg(svg);
    expect(countOf(svg, 'class="line"')).toBe(3);
    expect(countOf(svg, 'stroke-dasharray')).toBe(2); // the validation curve and its legend swatch
    expect(countOf(svg, 'class="legend-entry"')).toBe(3);
    expect(svg).toContain('>dense validation</text>');
    expect(svg).toContain('>pca-free</text>');
  });

  it('puts decade ticks on a log axis', () => {
    const svg = lossCurvesSvg({ series: [{ label: 'x', points: [{ epoch: 1, loss: 50 }, { epoch: 2, loss: 0.02 }] }], logScale: true });
    parseSvg(svg);
    const yTicks = /<g class="y-ticks"[^>]*>(.*?)<\/g>/.exec(svg)![1]!.match(/>[^<]+<\/text>/g)!.map((t) => t.slice(1, -7));
    expect(yTicks).toEqual(['0.01', '0.1', '1', '10', '100']);
  });
});
