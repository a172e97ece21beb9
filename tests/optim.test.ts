/** Optimizer steps against values computed by hand from the update formulas. */
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { setBackend } from '../src/tensor/context.ts';
import { Tensor } from '../src/tensor/tensor.ts';
import { Optimizer, type OptimizerName, type OptimizerOptions } from '../src/optim/optimizer.ts';

setBackend(new ReferenceBackend('float64'));

async function twoSteps(name: OptimizerName, options: OptimizerOptions): Promise<number[]> {
  const p = Tensor.from([1, -2], [2]);
  p.requiresGrad = true;
  const opt = new Optimizer(name, options);
  const param = { fullName: 'w', tensor: p };
  for (const g of [[0.5, 0.25], [-1, 2]]) {
    p.grad = Tensor.from(g, [2]);
    opt.step([param]);
  }
  return Array.from(await p.read());
}

describe('optimizers (two steps, gradients [0.5, 0.25] then [−1, 2], from [1, −2])', () => {
  it('sgd', async () => {
    // p − 0.1·g, twice
    expect(await twoSteps('sgd', { lr: 0.1 })).toEqual([1 - 0.05 + 0.1, -2 - 0.025 - 0.2].map((v) => expect.closeTo(v, 12)));
  });
  it('momentum (Keras form)', async () => {
    // v1 = −lr g1; p1 = p0 + v1; v2 = 0.9 v1 − lr g2; p2 = p1 + v2
    const v1 = [-0.05, -0.025];
    const v2 = [0.9 * -0.05 + 0.1, 0.9 * -0.025 - 0.2];
    expect(await twoSteps('momentum', { lr: 0.1, momentum: 0.9 })).toEqual([1 + v1[0] + v2[0], -2 + v1[1] + v2[1]].map((v) => expect.closeTo(v, 12)));
  });
  it('nesterov', async () => {
    const v1 = [-0.05, -0.025];
    const p1 = [1 + 0.9 * v1[0] - 0.05, -2 + 0.9 * v1[1] - 0.025];
    const v2 = [0.9 * v1[0] + 0.1, 0.9 * v1[1] - 0.2];
    const p2 = [p1[0] + 0.9 * v2[0] + 0.1, p1[1] + 0.9 * v2[1] - 0.2];
    expect(await twoSteps('momentum', { lr: 0.1, momentum: 0.9, nesterov: true })).toEqual(p2.map((v) => expect.closeTo(v, 12)));
  });
  it('adam: the first step moves every weight by lr·sign(g), bias-corrected', async () => {
    const p = await twoSteps('adam', { lr: 0.01, eps: 0 });
    // step 1: m̂ = g, v̂ = g² → update = sign(g) = +1 for both.
    // step 2: m = 0.9·0.1·g1 + 0.1 g2, v = 0.999·0.001 g1² + 0.001 g2², corrected by 0.19 and 0.001999
    const expected = [0, 1].map((i) => {
      const g1 = [0.5, 0.25][i];
      const g2 = [-1, 2][i];
      const m = 0.9 * 0.1 * g1 + 0.1 * g2;
      const v = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
      const update = m / (1 - 0.81) / Math.sqrt(v / (1 - 0.999 * 0.999));
      return [1, -2][i] - 0.01 - 0.01 * update;
    });
    expect(p).toEqual(expected.map((v) => expect.closeTo(v, 12)));
  });
  it('adamw decays the weights directly, not through the moments', async () => {
    const adam = await twoSteps('adam', { lr: 0.01, eps: 0, weightDecay: 0 });
    const adamw = await twoSteps('adamw', { lr: 0.01, eps: 0, weightDecay: 0.1 });
    // With decoupled decay the moments are Adam's; each step also subtracts lr·wd·p.
    const p1 = [1 - 0.01 - 0.001 * 1, -2 - 0.01 + 0.001 * 2];
    const step2 = [adam[0] - (1 - 0.01), adam[1] - (-2 - 0.01)];
    expect(adamw).toEqual([p1[0] + step2[0] - 0.001 * p1[0], p1[1] + step2[1] - 0.001 * p1[1]].map((v) => expect.closeTo(v, 12)));
  });
  it('the learning rate can change between steps', async () => {
    const p = Tensor.from([1], [1]);
    p.requiresGrad = true;
    const opt = new Optimizer('sgd', { lr: 0.1 });
    p.grad = Tensor.from([1], [1]);
    opt.step([{ fullName: 'w', tensor: p }]);
    opt.lr = 0.01;
    p.grad = Tensor.from([1], [1]);
    opt.step([{ fullName: 'w', tensor: p }]);
    expect((await p.read())[0]).toBeCloseTo(1 - 0.1 - 0.01, 12);
  });
});
