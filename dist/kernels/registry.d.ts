import type { Kernel } from './kernel.ts';
export declare const kernels: {
    rnnStep: Kernel<import("./rnn.ts").RnnStepParams>;
    rnnStepGrad: Kernel<import("./rnn.ts").RnnStepParams>;
    dropout: Kernel<import("./dropout.ts").DropoutParams>;
    softmax: Kernel<import("./spec.ts").Values<{
        readonly rows: "u32";
        readonly cols: "u32";
    }>>;
    softmaxGrad: Kernel<import("./spec.ts").Values<{
        readonly rows: "u32";
        readonly cols: "u32";
    }>>;
    crossEntropy: Kernel<import("./spec.ts").Values<{
        readonly rows: "u32";
        readonly cols: "u32";
    }>>;
    crossEntropyGrad: Kernel<import("./spec.ts").Values<{
        readonly rows: "u32";
        readonly cols: "u32";
    }>>;
    countCorrect: Kernel<import("./spec.ts").Values<{
        readonly rows: "u32";
        readonly cols: "u32";
    }>>;
    sgd: Kernel<import("./optimizers.ts").SgdParams>;
    momentum: Kernel<import("./optimizers.ts").MomentumParams>;
    adam: Kernel<import("./optimizers.ts").AdamParams>;
    bnStats: Kernel<import("./spec.ts").Values<{
        readonly n: "u32";
        readonly c: "u32";
        readonly s: "u32";
    }>>;
    bnForward: Kernel<import("./spec.ts").Values<{
        readonly eps: "f32";
        readonly n: "u32";
        readonly c: "u32";
        readonly s: "u32";
    }>>;
    bnBackward: Kernel<import("./spec.ts").Values<{
        readonly eps: "f32";
        readonly n: "u32";
        readonly c: "u32";
        readonly s: "u32";
    }>>;
    ema: Kernel<import("./batchnorm.ts").EmaParams>;
    binary: Kernel<import("./elementwise.ts").BinaryParams>;
    unary: Kernel<import("./elementwise.ts").UnaryParams>;
    unaryGrad: Kernel<import("./elementwise.ts").UnaryParams>;
    affine: Kernel<import("./elementwise.ts").AffineParams>;
    axpy: Kernel<import("./elementwise.ts").AxpyParams>;
    sumTo: Kernel<import("./reduce.ts").SumToParams>;
    broadcast: Kernel<import("./reduce.ts").BroadcastParams>;
    matmul: Kernel<import("./matmul.ts").MatmulParams>;
    conv2d: Kernel<import("./conv2d.ts").Conv2dParams>;
    conv2dGradInput: Kernel<import("./conv2d.ts").Conv2dParams>;
    conv2dGradWeight: Kernel<import("./conv2d.ts").Conv2dParams>;
    maxPool: Kernel<import("./spec.ts").Values<{
        readonly planes: "u32";
        readonly h: "u32";
        readonly w: "u32";
        readonly size: "u32";
        readonly stride: "u32";
        readonly oh: "u32";
        readonly ow: "u32";
    }>>;
    maxPoolGrad: Kernel<import("./spec.ts").Values<{
        readonly planes: "u32";
        readonly h: "u32";
        readonly w: "u32";
        readonly size: "u32";
        readonly stride: "u32";
        readonly oh: "u32";
        readonly ow: "u32";
    }>>;
    avgPool: Kernel<import("./spec.ts").Values<{
        readonly planes: "u32";
        readonly h: "u32";
        readonly w: "u32";
        readonly size: "u32";
        readonly stride: "u32";
        readonly oh: "u32";
        readonly ow: "u32";
    }>>;
    avgPoolGrad: Kernel<import("./spec.ts").Values<{
        readonly planes: "u32";
        readonly h: "u32";
        readonly w: "u32";
        readonly size: "u32";
        readonly stride: "u32";
        readonly oh: "u32";
        readonly ow: "u32";
    }>>;
};
export type Kernels = typeof kernels;
export type KernelName = keyof Kernels;
export type ParamsOf<K extends KernelName> = Kernels[K] extends Kernel<infer P> ? P : never;
