// The model catalog. Every model Seaplane serves, as data.
import type { CatalogModel } from '../types.ts';
import { IMAGE_MODELS } from './image.ts';
import { VIDEO_MODELS } from './video.ts';

export { IMAGE_MODELS } from './image.ts';
export { VIDEO_MODELS } from './video.ts';

export const MODELS: readonly CatalogModel[] = [...IMAGE_MODELS, ...VIDEO_MODELS];
