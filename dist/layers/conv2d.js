import { conv2d, convGeometry } from "../kernels/conv2d.js";
import { unary } from "../kernels/elementwise.js";
import { keep } from "../tensor/context.js";
import { kernelAndBias } from "./init.js";
import { Layer, weightAndBias } from "./layer.js";
/** A square-kernel convolution over [c, h, w] inputs; weights [filters, c, k, k] as torch.nn.Conv2d. */
export class Conv2D extends Layer {
    filters;
    kernelSize;
    padding;
    stride;
    activation;
    useBias;
    init;
    kind = 'Conv2D';
    weight = null;
    bias = null;
    /** Keras's kernel_regularizer=l2(λ) on this layer alone; null: the run's --l2, if any */
    l2 = null;
    constructor(filters, kernelSize = 3, padding = 'valid', stride = 1, activation = null, useBias = true, init = 'glorot') {
        super();
        this.filters = filters;
        this.kernelSize = kernelSize;
        this.padding = padding;
        this.stride = stride;
        this.activation = activation;
        this.useBias = useBias;
        this.init = init;
    }
    build(inputShape, rng) {
        if (inputShape.length !== 3)
            throw new Error(`${this.name}: Conv2D expects [channels, height, width], got [${inputShape.join(', ')}]`);
        const [c, h, w] = inputShape;
        const k = this.kernelSize;
        const { weight, bias } = kernelAndBias(this.init, [this.filters, c, k, k], c * k * k, this.filters * k * k, this.useBias, rng);
        this.weight = keep(weight);
        this.bias = bias && keep(bias);
        return [this.filters, convGeometry(h, k, this.stride, this.padding).out, convGeometry(w, k, this.stride, this.padding).out];
    }
    forward(x, _ctx) {
        const y = conv2d(x, this.weight, { stride: this.stride, padding: this.padding, bias: this.bias ?? undefined });
        return this.activation ? unary(this.activation, y) : y;
    }
    parameters() {
        return weightAndBias(this.weight, this.bias, this.l2);
    }
    config() {
        return { type: 'conv2d', filters: this.filters, kernelSize: this.kernelSize, padding: this.padding, stride: this.stride, activation: this.activation, useBias: this.useBias, ...(this.l2 !== null ? { l2: this.l2 } : {}), ...(this.init === 'glorot' ? {} : { init: this.init }) };
    }
}
