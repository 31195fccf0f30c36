import * as tf from '@tensorflow/tfjs';
import * as aeCore from '@latentkit/ae-core';
await aeCore.setupBackend('wasm');
const n=64;
const run=(label,x,w)=>{const f=()=>tf.conv2d(x,w,2,'valid');
const ts=[]; for (let i=0;i<5;i++){ const t0=performance.now(); tf.tidy(()=>f().dataSync()); ts.push((performance.now()-t0).toFixed(1)); } console.log(label, ts.join(' '));}
run('unseeded', tf.randomNormal([n,20,20,16]), tf.randomNormal([4,4,16,32]));
run('seeded', tf.randomNormal([n,20,20,16],0,1,'float32',1), tf.randomNormal([4,4,16,32],0,1,'float32',2));
run('seeded x only', tf.randomNormal([n,20,20,16],0,1,'float32',1), tf.randomNormal([4,4,16,32]));
run('seeded w only', tf.randomNormal([n,20,20,16]), tf.randomNormal([4,4,16,32],0,1,'float32',2));
run('uniform seeded', tf.randomUniform([n,20,20,16],-1,1,'float32',1), tf.randomUniform([4,4,16,32],-1,1,'float32',2));
run('unseeded again', tf.randomNormal([n,20,20,16]), tf.randomNormal([4,4,16,32]));
