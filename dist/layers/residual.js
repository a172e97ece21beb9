import { add, relu } from "../kernels/elementwise.js";
import { BatchNorm } from "./batchnorm.js";
import { Conv2D } from "./conv2d.js";
import { Layer } from "./layer.js";
/** relu(x + BN(conv(relu(BN(conv(x)))))): two 'same' 3×3 convolutions around an identity shortcut. */
export class ResidualBlock extends Layer {
    filters;
    kind = 'ResidualBlock';
    conv1;
    bn1 = new BatchNorm();
    conv2;
    bn2 = new BatchNorm();
    constructor(filters) {
        super();
        this.filters = filters;
        this.conv1 = new Conv2D(filters, 3, 'same');
        this.conv2 = new Conv2D(filters, 3, 'same');
        this.conv1.name = 'conv1';
        this.bn1.name = 'bn1';
        this.conv2.name = 'conv2';
        this.bn2.name = 'bn2';
    }
    build(inputShape, rng) {
        if (inputShape[0] !== this.filters) {
            throw new Error(`${this.name}: an identity shortcut needs ${this.filters} input channels, got [${inputShape.join(', ')}]`);
        }
        let shape = inputShape;
        for (const layer of this.children())
            shape = layer.build(shape, rng);
        return shape;
    }
    forward(x, ctx) {
        const h = relu(this.bn1.forward(this.conv1.forward(x, ctx), ctx));
        return relu(add(x, this.bn2.forward(this.conv2.forward(h, ctx), ctx)));
    }
    children() {
        return [this.conv1, this.bn1, this.conv2, this.bn2];
    }
    parameters() {
        return this.children().flatMap((l) => l.parameters().map((p) => ({ ...p, name: `${l.name}.${p.name}` })));
    }
    config() {
        return { type: 'residual', filters: this.filters };
    }
}
