// Helpers the browser tests share (viewer, plugins, the contributor's path): read what a page drew.

/** Pixels of a canvas (RGBA bytes as a plain array), read inside the page. */
export function canvasPixels(page, selector) {
  return page.$eval(selector, (c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data));
}

/**
 * Moves the viewer's interpolation slider to both ends and returns the image drawn at α = 0 and at α = 1
 * (the slider must already have two points selected).
 */
export async function interpolationEnds(page) {
  await page.focus('#interp-alpha');
  await page.keyboard.press('Home');
  await page.waitForSelector('#interp-output[data-alpha="0.00"]');
  const atA = await canvasPixels(page, '#interp-output');
  await page.keyboard.press('End');
  await page.waitForSelector('#interp-output[data-alpha="1.00"]');
  const atB = await canvasPixels(page, '#interp-output');
  return { atA, atB };
}
