/**
 * `@collab-ts/train`: The collab-ts training loop: a Learner with fit / fitOneCycle, callbacks, checkpoints and the LR finder.
 * @packageDocumentation
 */
export {};
