import type { FamilySpec } from '../registry/family.js';
import { GRADIENT_FAMILIES } from './gradient.js';
import { IALS_FAMILY } from './ials/spec.js';

/**
 * The families this package ships, registered on first use of the registry. Adding a family: a folder
 * under `families/` exporting its `FamilySpec`, and one entry here.
 */
export const BUILTIN_FAMILIES: readonly FamilySpec[] = [...GRADIENT_FAMILIES, IALS_FAMILY];
