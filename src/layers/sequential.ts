import { Rng } from '../kernels/random.ts';
import { keep, noGrad, scope } from '../tensor/context.ts';
import { Tensor, sameShape, type Shape } from '../tensor/tensor.ts';
import type { Layer, LayerConfig, ForwardContext, Parameter } from './layer.ts';
import { layerFromConfig } from './registry.ts';
import { ActivationLayer, Dropout, Pool2D } from './simple.ts';

/** A parameter with its model-wide name, e.g. conv2d_1.weight or residual_block.bn2.running_var. */
export interface NamedParameter extends Parameter {
  readonly fullName: string;
}

export interface SummaryRow {
  name: string;
  kind: string;
  outputShape: Shape;
  params: number;
  depth: number;
}

export interface ModelConfig {
  inputShape: number[];
  layers: LayerConfig[];
  /** what each output means, by index (a data set's class names); absent in runs written before they were kept */
  classNames?: string[];
}

const snake = (kind: string) => kind.replace('2D', '2d').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** A stack of layers from image [c, h, w] to logits. Owns its parameters' device memory. */
export class Sequential {
  readonly layers: Layer[];
  readonly outputShapes: Shape[] = [];
  /** the name of each class the outputs stand for, when the data set gave them */
  classNames: string[] | null = null;
  #built = false;

  constructor(layers: Layer[], readonly inputShape: Shape) {
    this.layers = layers;
    const counts = new Map<string, number>();
    for (const layer of layers) {
      const base = snake(layer.kind);
      const n = counts.get(base) ?? 0;
      counts.set(base, n + 1);
      layer.name = n === 0 ? base : `${base}_${n}`;
    }
    layers.filter((l): l is Dropout => l instanceof Dropout).forEach((l, i) => (l.stream = i + 1));
  }

  static fromConfig(cfg: unknown, where = 'config.json'): Sequential {
    if (!cfg || typeof cfg !== 'object') throw new Error(`${where}: expected a model object`);
    const { inputShape, layers, classNames } = cfg as { inputShape?: unknown; layers?: unknown; classNames?: unknown };
    if (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new Error(`${where}: field "inputShape" must be a list of positive integers, got ${JSON.stringify(inputShape)}`);
    }
    if (!Array.isArray(layers) || layers.length === 0) throw new Error(`${where}: field "layers" must be a non-empty list`);
    if (classNames !== undefined && !(Array.isArray(classNames) && classNames.length >= 2 && classNames.every((n) => typeof n === 'string' && n.length > 0 && n.length <= 100))) {
      throw new Error(`${where}: field "classNames" must be a list of at least two names of 1 to 100 characters, got ${JSON.stringify(classNames).slice(0, 200)}`);
    }
    const model = new Sequential(layers.map((l, i) => layerFromConfig(l, `${where}: layers[${i}]`)), inputShape as number[]);
    model.classNames = (classNames as string[] | undefined) ?? null;
    return model;
  }

  /** Creates every parameter on the current backend from a seeded generator (Keras's initializers). */
  build(seed = 0): this {
    if (this.#built) return this;
    const rng = new Rng(seed);
    let shape = this.inputShape;
    scope(() => {
      for (const layer of this.layers) {
        shape = layer.build(shape, rng);
        this.outputShapes.push(shape);
      }
    });
    for (const p of this.parameters()) {
      keep(p.tensor);
      p.tensor.requiresGrad = p.trainable;
    }
    const out = this.outputShapes.at(-1);
    if (this.classNames && out && (out.length !== 1 || out[0] !== this.classNames.length)) {
      throw new Error(`the model names ${this.classNames.length} classes but its output is [${out.join(', ')}]`);
    }
    this.#built = true;
    return this;
  }

  get built(): boolean {
    return this.#built;
  }

  /** Outputs per example: the class count of a classifier (built models only). */
  get outputSize(): number {
    if (!this.#built) throw new Error('model.outputSize: build() the model first');
    return (this.outputShapes.at(-1) ?? this.inputShape).reduce((p, d) => p * d, 1);
  }

  /** The class names, or the output indices as names when the model has none. */
  labels(): string[] {
    return this.classNames ?? Array.from({ length: this.outputSize }, (_, i) => String(i));
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    if (!this.#built) throw new Error('model.forward(): build() the model first');
    const expected = [x.shape[0], ...this.inputShape];
    if (!sameShape(x.shape, expected)) throw new Error(`model input has shape [${x.shape.join(', ')}], expected [${expected.join(', ')}]`);
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i];
      const next = this.layers[i + 1];
      // An activation between a layer and a max pooling goes to the pooling: applied to a quarter
      // of the values there, where the layer (batch norm on WASM) would spend a pass over all.
      const after = this.layers[i + 2];
      const toPool = next instanceof ActivationLayer && after instanceof Pool2D && after.fusesActivationBefore(next.activation);
      const fused = next instanceof ActivationLayer && !toPool ? layer.forwardWithActivation(h, ctx, next.activation)
        : layer instanceof ActivationLayer && next instanceof Pool2D ? next.forwardAfterActivation(h, layer.activation) : null;
      if (fused) i++;
      h = fused ?? layer.forward(h, ctx);
    }
    return h;
  }

  /** Logits for a batch, without gradients, in inference mode. */
  predictLogits(x: Tensor): Tensor {
    return noGrad(() => this.forward(x, { training: false, step: 0 }));
  }

  parameters(): NamedParameter[] {
    return this.layers.flatMap((l) => l.parameters().map((p) => ({ ...p, fullName: `${l.name}.${p.name}` })));
  }

  trainable(): NamedParameter[] {
    return this.parameters().filter((p) => p.trainable);
  }

  config(): ModelConfig {
    return { inputShape: [...this.inputShape], layers: this.layers.map((l) => l.config()), ...(this.classNames ? { classNames: [...this.classNames] } : {}) };
  }

  /** Keras's summary rows; a residual block's inner layers follow it, indented. */
  summaryRows(): SummaryRow[] {
    const count = (l: Layer) => l.parameters().reduce((n, p) => n + p.tensor.size, 0);
    return this.layers.flatMap((l, i) => [
      { name: l.name, kind: l.kind, outputShape: this.outputShapes[i], params: count(l), depth: 0 },
      ...l.children().map((c) => ({ name: `${l.name}.${c.name}`, kind: c.kind, outputShape: this.outputShapes[i], params: count(c), depth: 1 })),
    ]);
  }

  countParams(): { total: number; trainable: number; nonTrainable: number } {
    let trainable = 0;
    let nonTrainable = 0;
    for (const p of this.parameters()) {
      if (p.trainable) trainable += p.tensor.size;
      else nonTrainable += p.tensor.size;
    }
    return { total: trainable + nonTrainable, trainable, nonTrainable };
  }

  /** Every parameter and running statistic, copied to the host, by PyTorch-style name. */
  async stateDict(): Promise<Record<string, { shape: number[]; data: Float32Array }>> {
    const out: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const p of this.parameters()) out[p.fullName] = { shape: [...p.tensor.shape], data: Float32Array.from(await p.tensor.read()) };
    return out;
  }

  /** Writes saved values into the parameters; every name and shape must match, and nothing may be left over. */
  loadStateDict(state: Record<string, { shape: readonly number[]; data: ArrayLike<number> }>, where = 'weights'): void {
    const params = this.parameters();
    for (const p of params) {
      const saved = state[p.fullName];
      if (!saved) throw new Error(`${where}: tensor "${p.fullName}" is missing`);
      if (!sameShape(saved.shape, p.tensor.shape)) {
        throw new Error(`${where}: tensor "${p.fullName}" has shape [${saved.shape.join(', ')}], the model expects [${p.tensor.shape.join(', ')}]`);
      }
    }
    const known = new Set(params.map((p) => p.fullName));
    const extra = Object.keys(state).filter((k) => !known.has(k));
    if (extra.length) throw new Error(`${where}: tensors the model does not have: ${extra.join(', ')}`);
    for (const p of params) p.tensor.backend.write(p.tensor.storage, state[p.fullName].data);
  }

  dispose(): void {
    for (const p of this.parameters()) p.tensor.dispose();
  }
}
