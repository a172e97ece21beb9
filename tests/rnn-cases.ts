/**
 * The recurrent layers' rows of the shared tables: parity cases of the fused step kernels
 * (tests/kernel-cases.ts) and float64 gradient checks through several time steps
 * (tests/gradcheck.test.ts). Sizes are odd and off the four-lane width.
 */
import { gatesOf, recurrent, rnnCells, rnnOpName, savedOf, type RnnCell, type RnnOp, type RnnStepParams } from '../src/kernels/rnn.ts';
import type { KernelCase } from './kernel-cases.ts';
import type { GradCase } from './gradcheck.test.ts';

const B = 3, T = 5, H = 7;

function stepCases(cell: RnnCell): KernelCase<RnnStepParams>[] {
  const G = gatesOf[cell] * H, S = savedOf[cell] * H;
  return [0, 2, T - 1].map((t) => ({
    label: `${cell} ${B}×${T}×${H} t=${t}`,
    params: { cell, batch: B, steps: T, hidden: H, t, seq: false },
    inputs: [{ length: B * T * G }, { length: B * G }],
    // hseq, saved and hprev are written at step t only (and read at t − 1): in-place targets
    outputs: [{ length: B * T * H }, { length: B * T * S }, { length: B * T * H }, B * H],
  }));
}

function gradCases(cell: RnnCell): KernelCase<RnnStepParams>[] {
  const G = gatesOf[cell] * H, S = savedOf[cell] * H;
  return ([[0, true], [2, true], [T - 1, false], [1, false]] as const).map(([t, seq]) => ({
    label: `${cell} ${B}×${T}×${H} t=${t}${seq ? ' sequences' : ' last'}`,
    params: { cell, batch: B, steps: T, hidden: H, t, seq },
    inputs: [{ length: B * T * S }, { length: B * T * H }, { length: seq ? B * T * H : B * H }, { length: B * H }],
    outputs: [{ length: B * H }, { length: B * T * G }, { length: B * T * G }, B * G],
  }));
}

export const rnnCases = {
  rnnStep: rnnCells.flatMap(stepCases),
  rnnStepGrad: rnnCells.flatMap(gradCases),
};

/** x [2, 4, 3] through 5 units over four steps, every weight and the input checked. */
function gradCheck(cell: RnnCell, returnSequences: boolean): GradCase {
  const GH = gatesOf[cell] * 5;
  return {
    name: `${cell} ${returnSequences ? 'returnSequences' : 'last step'} over 4 steps`,
    args: [{ shape: [2, 4, 3] }, { shape: [GH, 3] }, { shape: [GH, 5] }, { shape: [GH] }, { shape: [GH] }],
    f: (x, weightIh, weightHh, biasIh, biasHh) => recurrent(cell, x, { weightIh, weightHh, biasIh, biasHh }, returnSequences),
  };
}

export const rnnGradCases: { readonly [Op in RnnOp]: readonly GradCase[] } = {
  [rnnOpName.simple]: [gradCheck('simple', true), gradCheck('simple', false)],
  [rnnOpName.gru]: [gradCheck('gru', true), gradCheck('gru', false)],
  [rnnOpName.lstm]: [gradCheck('lstm', true), gradCheck('lstm', false)],
};
