/**
 * How many points the WebGL scatter can hold: regl-scatterplot keeps every point's state in one square float
 * texture, so a context whose textures are at most `maxTextureSize` texels wide holds maxTextureSize² points.
 */
export function scatterCapacity(maxTextureSize: number): number {
  return Math.max(0, Math.floor(maxTextureSize)) ** 2;
}

/** What the page says about how many points it draws; `partial` when not all of the run's points fit. */
export function pointCountNote(total: number, capacity: number): { drawn: number; text: string; partial: boolean } {
  const fmt = (v: number) => v.toLocaleString('en-US');
  if (total <= capacity) return { drawn: total, text: `All ${fmt(total)} points drawn.`, partial: false };
  return {
    drawn: capacity,
    text: `Showing the first ${fmt(capacity)} of ${fmt(total)} points: this browser's WebGL holds at most ${fmt(capacity)} points in one scatter. The other ${fmt(total - capacity)} are not drawn.`,
    partial: true,
  };
}
