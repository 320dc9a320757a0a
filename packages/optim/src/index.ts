/**
 * `@collab-ts/optim`: Optimizers (SGD, Adam, weight decay) with lazy sparse row updates, and learning-rate schedules including one-cycle.
 * @packageDocumentation
 */
export {};
