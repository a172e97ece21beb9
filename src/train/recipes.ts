/**
 * Training settings that belong to a preset: `fast` is the public one-epoch MNIST recipe (PyTorch,
 * "MNIST to 99% in 0.76 s"), so `wgnn train --model fast` runs it as published unless told otherwise.
 */
import type { PresetName } from '../layers/presets.ts';
import type { OptimizerName } from '../optim/optimizer.ts';
import type { ScheduleName } from './schedules.ts';

export interface Recipe {
  epochs: number;
  batchSize: number;
  validationSplit: number;
  optimizer: OptimizerName;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  lrSchedule: ScheduleName;
  /** false: every epoch reads the training set in file order */
  shuffle: boolean;
}

export const recipes: Partial<Record<PresetName, Recipe>> = {
  // Adam's eps is PyTorch's default (1e-8), as the recipe ran in PyTorch.
  fast: { epochs: 1, batchSize: 256, validationSplit: 0, optimizer: 'adam', lr: 1e-2, beta1: 0.7, beta2: 0.9, eps: 1e-8, lrSchedule: 'one-cycle', shuffle: false },
};
