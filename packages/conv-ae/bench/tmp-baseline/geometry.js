import { LatentkitError } from '@latentkit/core';
/**
 * Walks the encoder over an [h, w, c] image: each stage is a valid convolution, the last one produces
 * d channels and must land on 1×1 so the code is exactly d numbers. The decoder mirrors these stages.
 */
export function encoderStages(kind, imageShape, latentDim, layout) {
    const { channels, kernels, strides } = layout;
    const bad = (code, why) => new LatentkitError(code, `reducer "${kind}": ${why}`);
    if (imageShape.length !== 3)
        throw bad('E_SHAPE', `needs [height, width, channels] images, got input shape [${imageShape.join(',')}]`);
    if (kernels.length < 1 || kernels.length !== strides.length || channels.length !== kernels.length - 1) {
        throw bad('E_OPTION', `kernels (${kernels.length}) and strides (${strides.length}) need one entry per layer and channels (${channels.length}) one fewer`);
    }
    for (const [name, list] of [['channels', channels], ['kernels', kernels], ['strides', strides]]) {
        if (list.some((v) => !Number.isInteger(v) || v < 1))
            throw bad('E_OPTION', `${name} must be positive integers, got ${list.join(',')}`);
    }
    const [h0, w0, c0] = imageShape;
    const stages = [];
    let size = [h0, w0];
    let inChannels = c0;
    for (let i = 0; i < kernels.length; i++) {
        const k = kernels[i], s = strides[i];
        const out = [Math.floor((size[0] - k) / s) + 1, Math.floor((size[1] - k) / s) + 1];
        if (out[0] < 1 || out[1] < 1)
            throw bad('E_SHAPE', `layer ${i + 1} (kernel ${k}) does not fit its ${size[0]}×${size[1]} input from a ${h0}×${w0} image`);
        const outChannels = i === kernels.length - 1 ? latentDim : channels[i];
        stages.push({ kernel: k, stride: s, inChannels, outChannels, inSize: size, outSize: out });
        size = out;
        inChannels = outChannels;
    }
    if (size[0] !== 1 || size[1] !== 1) {
        throw bad('E_SHAPE', `kernels ${kernels.join(',')} with strides ${strides.join(',')} map a ${h0}×${w0} image to ${size[0]}×${size[1]}, not 1×1; choose kernels that reach 1×1`);
    }
    return stages;
}
//# sourceMappingURL=geometry.js.map