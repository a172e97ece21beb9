/** The layers without parameters. */
import { dropout } from "../kernels/dropout.js";
import { flatten, unary } from "../kernels/elementwise.js";
import { avgPool2d, maxPool2d } from "../kernels/pool.js";
import { hash32 } from "../kernels/random.js";
import { Layer } from "./layer.js";
export class Flatten extends Layer {
    kind = 'Flatten';
    build(inputShape) {
        return [inputShape.reduce((p, d) => p * d, 1)];
    }
    forward(x) {
        // NCHW memory is already channel, row, column: PyTorch's flatten order, no copy.
        return flatten(x);
    }
    config() {
        return { type: 'flatten' };
    }
}
export class ActivationLayer extends Layer {
    activation;
    kind = 'Activation';
    constructor(activation) {
        super();
        this.activation = activation;
    }
    build(inputShape) {
        return inputShape;
    }
    forward(x) {
        return unary(this.activation, x);
    }
    config() {
        return { type: 'activation', activation: this.activation };
    }
}
export class Pool2D extends Layer {
    mode;
    size;
    kind;
    constructor(mode, size = 2) {
        super();
        this.mode = mode;
        this.size = size;
        this.kind = mode === 'max' ? 'MaxPooling2D' : 'AveragePooling2D';
    }
    build(inputShape) {
        const [c, h, w] = inputShape;
        if (inputShape.length !== 3 || h < this.size || w < this.size) {
            throw new Error(`${this.name}: cannot pool [${inputShape.join(', ')}] with a ${this.size}×${this.size} window`);
        }
        return [c, Math.floor(h / this.size), Math.floor(w / this.size)];
    }
    forward(x) {
        return this.mode === 'max' ? maxPool2d(x, this.size) : avgPool2d(x, this.size);
    }
    config() {
        return { type: this.mode === 'max' ? 'maxpool2d' : 'avgpool2d', size: this.size };
    }
}
export class Dropout extends Layer {
    rate;
    kind = 'Dropout';
    /** Set by the model: the layer's stream among the model's dropout layers. */
    stream = 0;
    constructor(rate) {
        super();
        this.rate = rate;
    }
    build(inputShape) {
        return inputShape;
    }
    forward(x, ctx) {
        if (!ctx.training || this.rate === 0)
            return x;
        return dropout(x, this.rate, hash32((Math.imul(ctx.step, 0x9e3779b1) + this.stream) >>> 0));
    }
    config() {
        return { type: 'dropout', rate: this.rate };
    }
}
