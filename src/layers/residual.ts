import { add, relu } from '../kernels/elementwise.ts';
import type { Rng } from '../kernels/random.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { BatchNorm } from './batchnorm.ts';
import { Conv2D } from './conv2d.ts';
import { Layer, type ForwardContext, type LayerConfig, type Parameter } from './layer.ts';

/** relu(x + BN(conv(relu(BN(conv(x)))))): two 'same' 3×3 convolutions around an identity shortcut. */
export class ResidualBlock extends Layer {
  readonly kind = 'ResidualBlock';
  readonly conv1: Conv2D;
  readonly bn1 = new BatchNorm();
  readonly conv2: Conv2D;
  readonly bn2 = new BatchNorm();

  constructor(readonly filters: number) {
    super();
    this.conv1 = new Conv2D(filters, 3, 'same');
    this.conv2 = new Conv2D(filters, 3, 'same');
    this.conv1.name = 'conv1';
    this.bn1.name = 'bn1';
    this.conv2.name = 'conv2';
    this.bn2.name = 'bn2';
  }

  build(inputShape: Shape, rng: Rng): Shape {
    if (inputShape[0] !== this.filters) {
      throw new Error(`${this.name}: an identity shortcut needs ${this.filters} input channels, got [${inputShape.join(', ')}]`);
    }
    let shape = inputShape;
    for (const layer of this.children()) shape = layer.build(shape, rng);
    return shape;
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    const h = relu(this.bn1.forward(this.conv1.forward(x, ctx), ctx));
    return relu(add(x, this.bn2.forward(this.conv2.forward(h, ctx), ctx)));
  }

  override children(): Layer[] {
    return [this.conv1, this.bn1, this.conv2, this.bn2];
  }

  override parameters(): Parameter[] {
    return this.children().flatMap((l) => l.parameters().map((p) => ({ ...p, name: `${l.name}.${p.name}` })));
  }

  config(): LayerConfig {
    return { type: 'residual', filters: this.filters };
  }
}
