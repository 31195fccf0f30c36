import { type AutoencoderLayers, type AutoencoderReducer } from '@latentkit/ae-core';
/**
 * A fitted conv autoencoder as Keras layers over flat rows, exactly buildConvArchitecture's forward pass:
 * encoder Reshape → Conv2D (+ BatchNormalization + Activation)… → Flatten; decoder Reshape [1,1,d] →
 * Conv2DTranspose… → Flatten. Stride-1 decoder stages (stored as "full" convolution kernels [k,k,in,out])
 * become Conv2DTranspose with the kernel rotated 180° and in/out swapped; a strided stage whose encoder
 * input did not divide evenly gets the missing bottom/right rows back through ZeroPadding2D, its bias then
 * added by a 1×1 identity Conv2D (Keras's Conv2DTranspose has no output padding in TF.js).
 */
export declare function convAeLayers(model: AutoencoderReducer): AutoencoderLayers;
//# sourceMappingURL=layers-export.d.ts.map