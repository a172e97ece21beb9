import { matmul } from '../kernels/matmul.ts';
import { unary, type Activation } from '../kernels/elementwise.ts';
import { canFuse } from '../kernels/activation.ts';
import type { Rng } from '../kernels/random.ts';
import { keep } from '../tensor/context.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { kernelAndBias, type Initializer } from './init.ts';
import { Layer, weightAndBias, type ForwardContext, type LayerConfig, type Parameter } from './layer.ts';

/** y = act(x · Wᵀ + b), W stored [units, inputs] as torch.nn.Linear does. */
export class Dense extends Layer {
  readonly kind = 'Dense';
  weight: Tensor | null = null;
  bias: Tensor | null = null;
  /** Keras's kernel_regularizer=l2(λ) on this layer alone; null: the run's --l2, if any */
  l2: number | null = null;

  constructor(readonly units: number, readonly activation: Activation | null = null, readonly useBias = true, readonly init: Initializer = 'glorot') {
    super();
  }

  build(inputShape: Shape, rng: Rng): Shape {
    if (inputShape.length !== 1) throw new Error(`${this.name}: Dense expects flat inputs, got [${inputShape.join(', ')}]; add Flatten first`);
    const { weight, bias } = kernelAndBias(this.init, [this.units, inputShape[0]], inputShape[0], this.units, this.useBias, rng);
    this.weight = keep(weight);
    this.bias = bias && keep(bias);
    return [this.units];
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    // An activation whose gradient follows from its output runs in the product's own pass.
    const fused = canFuse(this.activation) ? this.activation : undefined;
    const y = matmul(x, this.weight!, { transB: true, bias: this.bias ?? undefined, activation: fused });
    return this.activation && !fused ? unary(this.activation, y) : y;
  }

  override parameters(): Parameter[] {
    return weightAndBias(this.weight, this.bias, this.l2);
  }

  config(): LayerConfig {
    return { type: 'dense', units: this.units, activation: this.activation, useBias: this.useBias, ...(this.l2 !== null ? { l2: this.l2 } : {}), ...(this.init === 'glorot' ? {} : { init: this.init }) };
  }
}
