import type { FamilySpec } from '../registry/family.js';
import { BPR_FAMILY } from './bpr/spec.js';
import { EASE_FAMILY } from './ease/spec.js';
import { GRADIENT_FAMILIES } from './gradient.js';
import { IALS_FAMILY } from './ials/spec.js';
import { ITEM_KNN_FAMILY } from './item-knn/spec.js';
import { POPULARITY_FAMILY } from './popularity/spec.js';
import { SPARK_ALS_FAMILY } from './spark-als/spec.js';
import { SVD_FAMILY } from './svd/index.js';

/**
 * The families this package ships, registered on first use of the registry. Adding a family: a folder
 * under `families/` exporting its `FamilySpec`, and one entry here.
 */
export const BUILTIN_FAMILIES: readonly FamilySpec[] = [
  ...GRADIENT_FAMILIES,
  SVD_FAMILY,
  POPULARITY_FAMILY,
  ITEM_KNN_FAMILY,
  EASE_FAMILY,
  IALS_FAMILY,
  BPR_FAMILY,
  SPARK_ALS_FAMILY,
];
