/**
 * `@collab-ts/eval`: evaluation and interpretation for collab-ts: rating and ranking metrics, protocols,
 * baselines, PCA, similar items, recommendations, cold start.
 * @packageDocumentation
 */
export { mse, rmse, mae } from './rating-metrics.js';
export { evaluateRatings } from './evaluate-ratings.js';
export type { RatingEvaluation } from './evaluate-ratings.js';
export { topK } from './top-k.js';
export type { TopKResult } from './top-k.js';
export { userItemIndex } from './user-item-index.js';
export type { UserItemIndex } from './user-item-index.js';
export { scoreUsers } from './score-users.js';
export type { ScoreUsersOptions } from './score-users.js';
export {
  rankingAtK,
  precisionAtK,
  recallAtK,
  ndcgAtK,
  averagePrecisionAtK,
  reciprocalRankAtK,
  hitAtK,
} from './ranking-at-k.js';
export type { UserRankingMetrics } from './ranking-at-k.js';
export { catalogueCoverage } from './coverage.js';
export { rankingMetrics, rankingPart, mergeRankingParts } from './ranking-metrics.js';
export type { RankingResult, RankingPart } from './ranking-metrics.js';
export { planRanking } from './ranking-plan.js';
export type { RankingOptions, RankingPlan, CandidateSpec } from './ranking-plan.js';
export { parseMetricName, parseMetricList, RATING_METRIC_NAMES, RANKING_METRIC_NAMES } from './metric-names.js';
export type { MetricSpec, RatingMetricName, RankingMetricName } from './metric-names.js';
export type { BaselineShape } from './baselines/shape.js';
export { globalMeanBaseline } from './baselines/global-mean.js';
export type { GlobalMeanBaseline } from './baselines/global-mean.js';
export { userMeanBaseline } from './baselines/user-mean.js';
export type { UserMeanBaseline } from './baselines/user-mean.js';
export { itemMeanBaseline } from './baselines/item-mean.js';
export type { ItemMeanBaseline } from './baselines/item-mean.js';
export { biasBaseline } from './baselines/bias-baseline.js';
export type { BiasBaseline, BiasBaselineOptions } from './baselines/bias-baseline.js';
export { popularityRanker, itemPopularity } from './baselines/popularity.js';
export type { PopularityRanker, PopularityOptions } from './baselines/popularity.js';
export { crossValidate } from './cross-validate.js';
export type { CrossValidateOptions, CrossValidationResult, FoldResult } from './cross-validate.js';
export { formatMetricTable } from './format-table.js';
export type { MetricTableRow, MetricTableOptions } from './format-table.js';
export { itemBiasExtremes } from './item-bias-extremes.js';
export type { ItemBiasEntry } from './item-bias-extremes.js';
export { symmetricEigen } from './symmetric-eigen.js';
export type { EigenDecomposition } from './symmetric-eigen.js';
export { pca } from './pca.js';
export type { PcaOptions, PcaResult } from './pca.js';
export { pcaScatterSvg } from './pca-svg.js';
export type { ScatterPoint, ScatterOptions } from './pca-svg.js';
export * from './charts/index.js';
export { similarItems } from './similar-items.js';
export type { ScoredIndex } from './similar-items.js';
export { scorePairs } from './score-pairs.js';
export { recommendForUser } from './recommend-user.js';
export type { RecommendOptions } from './recommend-user.js';
export { recommendAll, recommendationTable, recommendInto, recommendationRows, excludedFrom } from './recommend-all.js';
export type { RecommendationRow, RecommendAllOptions, RecommendationTable } from './recommend-all.js';
export type { ExcludedItems } from './top-k-users.js';
export { toCsv, tableToCsv, tableToCsvBytes } from './to-csv.js';
export type { CsvVocabularies, CsvOptions } from './to-csv.js';
export { choleskySolve } from './cold-start/cholesky.js';
export { foldInUser } from '@collab-ts/core';
export type { FoldIn, FoldInOptions, NewUserRating } from '@collab-ts/core';
export { recommendForNewUser } from './cold-start/recommend-new-user.js';
export type { NewUserRecommendOptions, NewUserRecommendations } from './cold-start/recommend-new-user.js';
