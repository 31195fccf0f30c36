import { fetchRunReader, loadRun, type RunData, type RunModelData } from '@latentkit/run';

/** A run as the viewer holds it: the run folder's data and the URL it came from. */
export interface ViewerRun extends RunData {
  /** The run folder's URL, always ending in "/". */
  readonly url: string;
}

/** Resolves a run folder given relative to the page and makes it a folder URL (trailing "/"). */
export function normaliseRunUrl(raw: string, page: string): string {
  const url = new URL(raw, page).href;
  return url.endsWith('/') ? url : `${url}/`;
}

/** Fetches run.json, the points and every model's files; errors name the URL. */
export async function fetchRun(runUrl: string): Promise<ViewerRun> {
  const data = await loadRun(fetchRunReader(runUrl), { name: (path) => new URL(path, runUrl).href });
  return { ...data, url: runUrl };
}

/** The URL of a model's folder (its bundle). */
export function modelUrl(run: ViewerRun, model: RunModelData): string {
  return new URL(`${model.info.dir}/`, run.url).href;
}

/** Pixel bytes of point i (a view, no copy). */
export function pointImage(run: RunData, i: number): Uint8Array {
  return run.images.subarray(i * run.features, (i + 1) * run.features);
}
