import { mse, psnr, reconstruct, varianceExplained } from '@latentkit/core';
import { modelAndData, type CommandContext } from '../context.js';

export async function runEval(ctx: CommandContext, dir: string, flags: { data?: string; seed?: string }): Promise<void> {
  const { reducer, data } = await modelAndData(ctx, dir, flags, { capabilities: ['encode', 'decode'], for: 'eval' });
  try {
    const listener = ctx.progress.listener('evaluate');
    listener({ phase: 'reconstruct', fraction: 0 });
    const xHat = await reconstruct(reducer, data.test.x, 'eval');
    listener({ phase: 'reconstruct', fraction: 1 });
    ctx.progress.stop();
    const testMse = mse(data.test.x, xHat);
    const result = {
      reducer: reducer.kind,
      latentDim: reducer.latentDim,
      data: data.spec,
      test: { n: data.test.x.rows, mse: testMse, psnr: psnr(testMse), varianceExplained: varianceExplained(data.test.x, xHat) },
    };
    ctx.print(
      `${reducer.kind} d=${reducer.latentDim} on ${data.spec} test (n=${result.test.n}): MSE ${testMse.toFixed(6)}, PSNR ${result.test.psnr.toFixed(2)} dB, variance explained ${result.test.varianceExplained.toFixed(4)}`,
      result,
    );
  } finally {
    reducer.dispose();
  }
}
