import { LatentkitError, reconstruct, sliceRows } from '@latentkit/core';
import { writeFileAtomic } from '@latentkit/node-fs';
import { imageGridPng } from '@latentkit/viz';
import { displayName, modelAndData, type CommandContext } from '../context.js';
import { checkOutputFile } from '../flags.js';

export async function runReconstruct(ctx: CommandContext, dir: string, flags: { n: string; png: string; data?: string; seed?: string }): Promise<void> {
  const n = Number(flags.n);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new LatentkitError('E_OPTION', `--n expects an integer in [1, 1000], got "${flags.n}"`);
  const out = await checkOutputFile('--png', flags.png, ctx.cwd);
  const { reducer, data } = await modelAndData(ctx, dir, flags, { capabilities: ['encode', 'decode'], for: 'reconstruct' });
  try {
    if (!data.test.imageShape) throw new LatentkitError('E_SHAPE', `${data.spec} is not image data; reconstruct draws images`);
    const x = sliceRows(data.test.x, 0, n);
    const xHat = await reconstruct(reducer, x, 'reconstruct');
    const name = displayName(await ctx.registry(), reducer.kind);
    const png = imageGridPng(
      [
        { label: 'X', images: x },
        { label: `g∘f(X) (${name}, d=${reducer.latentDim})`, images: xHat },
      ],
      { imageShape: [...data.test.imageShape] as [number, number, number] },
    );
    await writeFileAtomic(out, png);
    ctx.print(`wrote ${flags.png}: ${x.rows} originals over their reconstructions`, { png: out, n: x.rows });
  } finally {
    reducer.dispose();
  }
}
