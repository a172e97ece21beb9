/** The data sets a run trains on, and which one a preset reads by default. */
import { speechPresets, type PresetName } from '../layers/presets.ts';

export const datasetNames = ['mnist', 'spoken-digits'] as const;
export type DatasetName = (typeof datasetNames)[number];

/** The data set a run trains on: the one asked for, else the model's kind (lstm, gru: spoken digits). */
export function datasetOf(model: string, asked?: DatasetName): DatasetName {
  return asked ?? (speechPresets.includes(model as PresetName) ? 'spoken-digits' : 'mnist');
}
