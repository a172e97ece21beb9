import { conv2d, convGeometry } from "../kernels/conv2d.js";
import { unary } from "../kernels/elementwise.js";
import { keep } from "../tensor/context.js";
import { filled, glorotUniform } from "./init.js";
import { Layer, weightAndBias } from "./layer.js";
/** A square-kernel convolution over [c, h, w] inputs; weights [filters, c, k, k] as torch.nn.Conv2d. */
export class Conv2D extends Layer {
    filters;
    kernelSize;
    padding;
    stride;
    activation;
    useBias;
    kind = 'Conv2D';
    weight = null;
    bias = null;
    constructor(filters, kernelSize = 3, padding = 'valid', stride = 1, activation = null, useBias = true) {
        super();
        this.filters = filters;
        this.kernelSize = kernelSize;
        this.padding = padding;
        this.stride = stride;
        this.activation = activation;
        this.useBias = useBias;
    }
    build(inputShape, rng) {
        if (inputShape.length !== 3)
            throw new Error(`${this.name}: Conv2D expects [channels, height, width], got [${inputShape.join(', ')}]`);
        const [c, h, w] = inputShape;
        const k = this.kernelSize;
        this.weight = keep(glorotUniform([this.filters, c, k, k], c * k * k, this.filters * k * k, rng));
        this.bias = this.useBias ? keep(filled([this.filters], 0)) : null;
        return [this.filters, convGeometry(h, k, this.stride, this.padding).out, convGeometry(w, k, this.stride, this.padding).out];
    }
    forward(x, _ctx) {
        const y = conv2d(x, this.weight, { stride: this.stride, padding: this.padding, bias: this.bias ?? undefined });
        return this.activation ? unary(this.activation, y) : y;
    }
    parameters() {
        return weightAndBias(this.weight, this.bias);
    }
    config() {
        return { type: 'conv2d', filters: this.filters, kernelSize: this.kernelSize, padding: this.padding, stride: this.stride, activation: this.activation, useBias: this.useBias };
    }
}
