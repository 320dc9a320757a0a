/**
 * `@collab-ts/eval`: Evaluation and interpretation for collab-ts: rating and ranking metrics, protocols, baselines, PCA, similar items, recommendations, cold start.
 * @packageDocumentation
 */
export {};
