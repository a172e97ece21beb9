import { matmul } from "../kernels/matmul.js";
import { unary } from "../kernels/elementwise.js";
import { keep } from "../tensor/context.js";
import { filled, glorotUniform } from "./init.js";
import { Layer, weightAndBias } from "./layer.js";
/** y = act(x · Wᵀ + b), W stored [units, inputs] as torch.nn.Linear does. */
export class Dense extends Layer {
    units;
    activation;
    useBias;
    kind = 'Dense';
    weight = null;
    bias = null;
    constructor(units, activation = null, useBias = true) {
        super();
        this.units = units;
        this.activation = activation;
        this.useBias = useBias;
    }
    build(inputShape, rng) {
        if (inputShape.length !== 1)
            throw new Error(`${this.name}: Dense expects flat inputs, got [${inputShape.join(', ')}]; add Flatten first`);
        this.weight = keep(glorotUniform([this.units, inputShape[0]], inputShape[0], this.units, rng));
        this.bias = this.useBias ? keep(filled([this.units], 0)) : null;
        return [this.units];
    }
    forward(x, _ctx) {
        const y = matmul(x, this.weight, { transB: true, bias: this.bias ?? undefined });
        return this.activation ? unary(this.activation, y) : y;
    }
    parameters() {
        return weightAndBias(this.weight, this.bias);
    }
    config() {
        return { type: 'dense', units: this.units, activation: this.activation, useBias: this.useBias };
    }
}
