/** Columns of the GEMM micro-tile (assembly/gemm.ts): column splits are multiples of it. */
const NR = 8;
const geometry = (p) => [p.n, p.c, p.h, p.w, p.k, p.kh, p.kw, p.stride, p.padTop, p.padLeft, p.oh, p.ow];
const convFlops = (p) => 2 * p.n * p.k * p.c * p.kh * p.kw * p.oh * p.ow;
/**
 * Merges neighbouring axes that every operand walks contiguously (or not at all), so a row
 * loop in WASM covers as much as possible: [shape, ...strides] → the same, fewer axes.
 */
export function collapse(shape, strides) {
    const outShape = [shape[shape.length - 1] ?? 1];
    const outStrides = strides.map((s) => [s[s.length - 1] ?? 0]);
    for (let d = shape.length - 2; d >= 0; d--) {
        const inner = outShape[0];
        if (strides.every((s, i) => s[d] === outStrides[i][0] * inner))
            outShape[0] *= shape[d];
        else {
            outShape.unshift(shape[d]);
            strides.forEach((s, i) => outStrides[i].unshift(s[d]));
        }
    }
    return { shape: outShape, strides: outStrides };
}
/** The op codes of assembly/elementwise.ts; an op missing here runs the reference loop. */
const unaryCodes = ['relu', 'tanh', 'softsign', 'gelu', 'sigmoid', 'exp', 'log', 'neg', 'square', 'sqrt'];
const binaryCodes = ['add', 'sub', 'mul', 'div'];
/** Transcendental unary ops cost ~20 flops an element; it decides when to use the workers. */
const unaryCost = (op) => (op === 'relu' || op === 'neg' || op === 'square' ? 1 : 20);
const rowStrides = (shape) => {
    const strides = new Array(shape.length).fill(1);
    for (let d = shape.length - 2; d >= 0; d--)
        strides[d] = strides[d + 1] * shape[d + 1];
    return strides;
};
export const fastKernels = {
    matmul(ctx, [a, b, bias], [c], { m, n, k, transA, transB, bias: hasBias }) {
        const splitRows = m >= n;
        const params = ctx.setParams([m, n, k, a, transA ? 1 : k, transA ? m : 1, b, transB ? 1 : n, transB ? k : 1, c, hasBias ? bias : 0, splitRows ? 1 : 0]);
        // Each chunk packs the whole of the other operand: two chunks a thread keep that cheap.
        ctx.parallel('matmul', params, splitRows ? m : n, 2 * m * n * k, splitRows ? ctx.tileRows : NR, 2);
    },
    conv2d(ctx, [x, w, bias], [y], p) {
        // Split by images, or by blocks of output pixels when the batch is smaller than the threads.
        const pixels = p.oh * p.ow;
        const per = p.n >= ctx.threads ? 1 : Math.ceil(ctx.threads / p.n);
        const block = Math.ceil(pixels / per / NR) * NR;
        const params = ctx.setParams([...geometry(p), x, w, p.bias ? bias : 0, y, block]);
        ctx.parallel('conv2d', params, p.n * Math.ceil(pixels / block), convFlops(p));
    },
    conv2dGradInput(ctx, [dy, w], [dx], p) {
        // Per image: columns = Wᵀ · dy (a GEMM), then col2im adds them back onto dx. Measured faster
        // than the stride-1 alternative, a transposed convolution, which packs twice as much.
        const cols = ctx.workspace('columns', ctx.threads * p.c * p.kh * p.kw * p.oh * p.ow * 4);
        ctx.parallel('conv2dGradInput', ctx.setParams([...geometry(p), dy, w, dx, cols]), p.n, convFlops(p));
    },
    conv2dGradWeight(ctx, [x, dy], [dw], p) {
        // Each thread adds its images into its own partial sum (thread 0's is dw), then they are added up.
        const count = p.k * p.c * p.kh * p.kw;
        const partials = ctx.workspace('partials', Math.max(1, ctx.threads - 1) * count * 4);
        ctx.exports.zero(dw, count);
        ctx.exports.zero(partials, (ctx.threads - 1) * count);
        ctx.parallel('conv2dGradWeight', ctx.setParams([...geometry(p), x, dy, dw, partials]), p.n, convFlops(p), 1, 2);
        for (let t = 1; t < ctx.threads; t++)
            ctx.exports.addTo(dw, partials + (t - 1) * count * 4, count);
    },
    unary(ctx, [x], [y], { op }, [n]) {
        if (!unaryCodes.includes(op))
            return false;
        ctx.parallel('unary', ctx.setParams([unaryCodes.indexOf(op), x, y]), n, n * unaryCost(op), 16);
    },
    unaryGrad(ctx, [x, dy], [dx], { op }, [n]) {
        if (!unaryCodes.includes(op))
            return false;
        ctx.parallel('unaryGrad', ctx.setParams([unaryCodes.indexOf(op), x, dy, dx]), n, n * unaryCost(op), 16);
    },
    affine(ctx, [x], [y], { scale, shift }, [n]) {
        ctx.parallel('affine', ctx.setParams([x, y], [scale, shift]), n, n, 16);
    },
    axpy(ctx, [x], [y], { alpha }, [n]) {
        ctx.parallel('axpy', ctx.setParams([x, y], [alpha]), n, n, 16);
    },
    binary(ctx, [a, b], [out], p) {
        if (!binaryCodes.includes(p.op))
            return false;
        const c = collapse(p.shape, [p.aStrides, p.bStrides, rowStrides(p.shape)]);
        const rows = c.shape.slice(0, -1).reduce((q, d) => q * d, 1);
        const size = rows * c.shape[c.shape.length - 1];
        ctx.parallel('binary', ctx.setParams([binaryCodes.indexOf(p.op), a, b, out, c.shape.length, ...c.shape, ...c.strides[0], ...c.strides[1]]), rows, size);
    },
    broadcast(ctx, [x], [y], p) {
        const c = collapse(p.shape, [p.strides, rowStrides(p.shape)]);
        const rows = c.shape.slice(0, -1).reduce((q, d) => q * d, 1);
        const params = ctx.setParams([x, y, c.shape.length, ...c.shape, ...c.strides[0]], [p.scale]);
        ctx.parallel('broadcast', params, rows, rows * c.shape[c.shape.length - 1]);
    },
    sumTo(ctx, [x], [y], p) {
        const c = collapse(p.shape, [p.outStrides, rowStrides(p.shape)]);
        const rows = c.shape.slice(0, -1).reduce((q, d) => q * d, 1);
        const outLength = p.shape.reduce((q, d, i) => (p.outStrides[i] === 0 ? q : q * d), 1);
        // One thread: every row may add into the same outputs.
        ctx.parallel('sumTo', ctx.setParams([x, y, c.shape.length, outLength, ...c.shape, ...c.strides[0]], [p.scale]), rows, 0);
    },
    dropout(ctx, [x], [y], { rate, seed }, [n]) {
        const threshold = Math.min(Math.ceil(rate * 2 ** 32), 2 ** 32 - 1) >>> 0;
        ctx.parallel('dropout', ctx.setParams([x, y, seed >>> 0, threshold | 0], [1 / (1 - rate)]), n, n * 4, 16);
    },
    maxPool(ctx, [x], [y], p) {
        ctx.parallel('maxPool', ctx.setParams([p.planes, p.h, p.w, p.size, p.stride, p.oh, p.ow, x, y]), p.planes, p.planes * p.h * p.w);
    },
    maxPoolGrad(ctx, [x, dy], [dx], p) {
        ctx.parallel('maxPoolGrad', ctx.setParams([p.planes, p.h, p.w, p.size, p.stride, p.oh, p.ow, x, dy, dx]), p.planes, 2 * p.planes * p.h * p.w);
    },
    avgPool(ctx, [x], [y], p) {
        ctx.parallel('avgPool', ctx.setParams([p.planes, p.h, p.w, p.size, p.stride, p.oh, p.ow, x, y]), p.planes, p.planes * p.h * p.w);
    },
    avgPoolGrad(ctx, [dy], [dx], p) {
        ctx.parallel('avgPoolGrad', ctx.setParams([p.planes, p.h, p.w, p.size, p.stride, p.oh, p.ow, dy, dx]), p.planes, 2 * p.planes * p.h * p.w);
    },
    bnStats(ctx, [x], [mean, variance], p) {
        ctx.parallel('bnStats', ctx.setParams([p.n, p.c, p.s, x, mean, variance]), p.c, 3 * p.n * p.c * p.s);
    },
    bnForward(ctx, [x, mean, variance, gamma, beta], [y], p) {
        ctx.parallel('bnForward', ctx.setParams([p.n, p.c, p.s, x, mean, variance, gamma, beta, y], [p.eps]), p.c, 2 * p.n * p.c * p.s);
    },
    bnBackward(ctx, [x, dy, mean, variance, gamma], [dx, dgamma, dbeta], p) {
        ctx.parallel('bnBackward', ctx.setParams([p.n, p.c, p.s, x, dy, mean, variance, gamma, dx, dgamma, dbeta], [p.eps]), p.c, 6 * p.n * p.c * p.s);
    },
    softmax(ctx, [x], [y], p) {
        ctx.parallel('softmax', ctx.setParams([p.rows, p.cols, x, y]), p.rows, 30 * p.rows * p.cols);
    },
    softmaxGrad(ctx, [y, dy], [dx], p) {
        ctx.parallel('softmaxGrad', ctx.setParams([p.rows, p.cols, y, dy, dx]), p.rows, 4 * p.rows * p.cols);
    },
    crossEntropy(ctx, [x, labels], [loss], p) {
        ctx.parallel('crossEntropy', ctx.setParams([p.rows, p.cols, x, labels, loss]), p.rows, 30 * p.rows * p.cols);
    },
    crossEntropyGrad(ctx, [x, labels, dloss], [dx], p) {
        ctx.parallel('crossEntropyGrad', ctx.setParams([p.rows, p.cols, x, labels, dloss, dx]), p.rows, 60 * p.rows * p.cols);
    },
    sgd(ctx, [g], [param], { lr, weightDecay }, [n]) {
        ctx.parallel('sgd', ctx.setParams([g, param], [lr, weightDecay]), n, 2 * n, 16);
    },
    momentum(ctx, [g], [param, v], { lr, weightDecay, momentum, nesterov }, [n]) {
        ctx.parallel('momentum', ctx.setParams([g, param, v, nesterov ? 1 : 0], [lr, weightDecay, momentum]), n, 4 * n, 16);
    },
    adam(ctx, [g], [param, m, v], { lr, beta1, beta2, eps, step, weightDecay, decoupled }, [n]) {
        const params = ctx.setParams([g, param, m, v, decoupled ? 1 : 0], [lr, beta1, beta2, eps, weightDecay, 1 / (1 - beta1 ** step), 1 / (1 - beta2 ** step)]);
        ctx.parallel('adam', params, n, 12 * n, 16);
    },
};
