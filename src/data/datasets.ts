/** The data sets a run trains on, and which one a preset reads by default (loading: ./image-dataset.ts). */
import { speechPresets, type PresetName } from '../layers/presets.ts';

export const imageDatasetNames = ['mnist', 'fashion-mnist', 'cifar10', 'idx', 'folder'] as const;
export const datasetNames = [...imageDatasetNames, 'spoken-digits'] as const;
export type DatasetName = (typeof datasetNames)[number];
export type ImageDatasetName = (typeof imageDatasetNames)[number];

/** The data set a run trains on: the one asked for, else the model's kind (lstm, gru: spoken digits). */
export function datasetOf(model: string, asked?: DatasetName): DatasetName {
  return asked ?? (speechPresets.includes(model as PresetName) ? 'spoken-digits' : 'mnist');
}
