import { matmul } from "../kernels/matmul.js";
import { unary } from "../kernels/elementwise.js";
import { keep } from "../tensor/context.js";
import { kernelAndBias } from "./init.js";
import { Layer, weightAndBias } from "./layer.js";
/** y = act(x · Wᵀ + b), W stored [units, inputs] as torch.nn.Linear does. */
export class Dense extends Layer {
    units;
    activation;
    useBias;
    init;
    kind = 'Dense';
    weight = null;
    bias = null;
    /** Keras's kernel_regularizer=l2(λ) on this layer alone; null: the run's --l2, if any */
    l2 = null;
    constructor(units, activation = null, useBias = true, init = 'glorot') {
        super();
        this.units = units;
        this.activation = activation;
        this.useBias = useBias;
        this.init = init;
    }
    build(inputShape, rng) {
        if (inputShape.length !== 1)
            throw new Error(`${this.name}: Dense expects flat inputs, got [${inputShape.join(', ')}]; add Flatten first`);
        const { weight, bias } = kernelAndBias(this.init, [this.units, inputShape[0]], inputShape[0], this.units, this.useBias, rng);
        this.weight = keep(weight);
        this.bias = bias && keep(bias);
        return [this.units];
    }
    forward(x, _ctx) {
        const y = matmul(x, this.weight, { transB: true, bias: this.bias ?? undefined });
        return this.activation ? unary(this.activation, y) : y;
    }
    parameters() {
        return weightAndBias(this.weight, this.bias, this.l2);
    }
    config() {
        return { type: 'dense', units: this.units, activation: this.activation, useBias: this.useBias, ...(this.l2 !== null ? { l2: this.l2 } : {}), ...(this.init === 'glorot' ? {} : { init: this.init }) };
    }
}
