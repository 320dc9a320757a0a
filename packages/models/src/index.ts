/**
 * `@collab-ts/models`: The collab-ts model zoo: dot product, biased dot product, EmbeddingDotBias and EmbeddingNN on fused CPU kernels and TensorFlow.js.
 * @packageDocumentation
 */
export {};
