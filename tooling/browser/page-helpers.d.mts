/** The part of a playwright Page these helpers use. */
interface PageLike {
  $eval<R>(selector: string, fn: (element: any) => R): Promise<R>;
  focus(selector: string): Promise<void>;
  keyboard: { press(key: string): Promise<void> };
  waitForSelector(selector: string): Promise<unknown>;
}
export function canvasPixels(page: PageLike, selector: string): Promise<number[]>;
export function interpolationEnds(page: PageLike): Promise<{ atA: number[]; atB: number[] }>;
