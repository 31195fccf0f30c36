/** Tableau 10: a categorical palette whose colours stay distinguishable for most colour-vision types. */
export const TABLEAU10: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** Colour for category i; wraps around after ten. */
export function categoricalColor(i: number): string {
  return TABLEAU10[((i % TABLEAU10.length) + TABLEAU10.length) % TABLEAU10.length]!;
}
