import { weightArray } from '@latentkit/ae-core';
import { LatentkitError } from '@latentkit/core';
import { convLayoutOf } from './architecture.js';
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from './batch-norm.js';
import { encoderStages } from './geometry.js';
/**
 * A fitted conv autoencoder as Keras layers over flat rows, exactly buildConvArchitecture's forward pass:
 * encoder Reshape → Conv2D (+ BatchNormalization + Activation)… → Flatten; decoder Reshape [1,1,d] →
 * Conv2DTranspose… → Flatten. Stride-1 decoder stages (stored as "full" convolution kernels [k,k,in,out])
 * become Conv2DTranspose with the kernel rotated 180° and in/out swapped; a strided stage whose encoder
 * input did not divide evenly gets the missing bottom/right rows back through ZeroPadding2D, its bias then
 * added by a 1×1 identity Conv2D (Keras's Conv2DTranspose has no output padding in TF.js).
 */
export function convAeLayers(model) {
    const o = model.options;
    const layout = convLayoutOf(o);
    const activation = o.activation;
    const useBatchNorm = o.batchNorm === true;
    const stages = encoderStages(model.kind, model.inputShape, model.latentDim, layout);
    const weights = model.params.snapshot();
    const w = (name, shape) => weightArray(weights.get(name), shape, name);
    const last = stages.length - 1;
    const finish = (prefix, hidden, channels, output) => {
        if (!hidden)
            return output === 'linear' ? [] : [{ type: 'activation', activation: output }];
        const norm = useBatchNorm ? [batchNormLayer(weights, `${prefix}.norm`, channels)] : [];
        return [...norm, { type: 'activation', activation }];
    };
    const encoder = [{ type: 'reshape', targetShape: model.inputShape }];
    stages.forEach((s, i) => {
        const prefix = `encoder.${i}`;
        const kernel = w(`${prefix}.kernel`, [s.kernel, s.kernel, s.inChannels, s.outChannels]);
        encoder.push({ type: 'conv2d', filters: s.outChannels, kernelSize: s.kernel, strides: s.stride, activation: 'linear', kernel, bias: w(`${prefix}.bias`, [s.outChannels]) });
        encoder.push(...finish(prefix, i < last, s.outChannels, 'linear'));
    });
    encoder.push({ type: 'flatten' });
    const decoder = [{ type: 'reshape', targetShape: [1, 1, model.latentDim] }];
    stages.forEach((_, j) => {
        const s = stages[last - j];
        const prefix = `decoder.${j}`;
        decoder.push(...transposedStage(s, weights, prefix));
        decoder.push(...finish(prefix, j < last, s.inChannels, 'sigmoid'));
    });
    decoder.push({ type: 'flatten' });
    return { encoder: { name: 'encoder', inputShape: [model.inputDim], layers: encoder }, decoder: { name: 'decoder', inputShape: [model.latentDim], layers: decoder } };
}
/** The decoder's mirror of one encoder stage: its output has the stage's input size and channels. */
function transposedStage(s, weights, prefix) {
    const { kernel: k, stride, inChannels: out, outChannels: inp } = s;
    const stored = weightArray(weights.get(`${prefix}.kernel`), stride === 1 ? [k, k, inp, out] : [k, k, out, inp], `${prefix}.kernel`);
    const kernel = stride === 1 ? flipFullKernel(stored) : stored;
    const bias = weightArray(weights.get(`${prefix}.bias`), [out], `${prefix}.bias`);
    const padH = s.inSize[0] - ((s.outSize[0] - 1) * stride + k);
    const padW = s.inSize[1] - ((s.outSize[1] - 1) * stride + k);
    if (padH < 0 || padW < 0)
        throw new LatentkitError('E_SHAPE', `conv-ae export: stage ${prefix} does not invert to ${s.inSize.join('×')}`);
    const base = { type: 'conv2dTranspose', filters: out, kernelSize: k, strides: stride, activation: 'linear', kernel };
    if (padH === 0 && padW === 0)
        return [{ ...base, bias }];
    return [
        base,
        { type: 'zeroPadding2d', padding: [[0, padH], [0, padW]] },
        { type: 'conv2d', filters: out, kernelSize: 1, strides: 1, activation: 'linear', kernel: identityKernel(out), bias },
    ];
}
/** Full-convolution kernel W [k,k,in,out] → the Conv2DTranspose kernel [k,k,out,in] of the same map: rotate 180°, swap in/out. */
function flipFullKernel(w) {
    const [k, , cin, cout] = w.shape;
    const values = new Float32Array(w.values.length);
    for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++)
            for (let c = 0; c < cin; c++)
                for (let o = 0; o < cout; o++)
                    values[((i * k + j) * cout + o) * cin + c] = w.values[(((k - 1 - i) * k + (k - 1 - j)) * cin + c) * cout + o];
    return { values, shape: [k, k, cout, cin] };
}
function identityKernel(channels) {
    const values = new Float32Array(channels * channels);
    for (let c = 0; c < channels; c++)
        values[c * channels + c] = 1;
    return { values, shape: [1, 1, channels, channels] };
}
function batchNormLayer(weights, prefix, channels) {
    const v = (name) => weightArray(weights.get(`${prefix}.${name}`), [channels], `${prefix}.${name}`);
    return { type: 'batchNormalization', epsilon: BATCH_NORM_EPSILON, momentum: BATCH_NORM_MOMENTUM, gamma: v('gamma'), beta: v('beta'), movingMean: v('movingMean'), movingVariance: v('movingVariance') };
}
//# sourceMappingURL=layers-export.js.map