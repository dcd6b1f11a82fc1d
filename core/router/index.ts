/** The Win-back Router's domain core: pure functions, no n8n import. */
export { compileRouter } from './router';
export type { CompiledRouter } from './router';
export {
	DEFAULT_ROUTE_KEYS,
	DEFAULT_ROUTE_NAMES,
	DEFAULT_ROUTE_OPTIONS,
	SUPPRESSED_OUTPUT,
	UNMATCHED_OUTPUT,
	defaultRoutes,
	defaultRules,
	routeKeyFromName,
} from './routes';
export type { DefaultRouteOptions } from './routes';
export { chooseOffer } from './offer';
export type { CustomerValue } from './offer';
export { computeSendTime, scheduleSequence } from './timing';
export { compileCondition, compileRule, describeCondition } from './conditions';
export { segmentOptions, lifecycleStageOptions, segmentMatchKeys, DEFAULT_SEGMENT_GROUPS, DEFAULT_LIFECYCLE_GROUPS } from './segmentValues';
export { ItemFieldError, normalizeKey, readTimeMillis } from './fields';
export { DEFAULT_FIELD_NAMES, FIELD_LABELS } from './types';
export type {
	Condition,
	FieldNames,
	FieldOperator,
	OfferRule,
	OfferType,
	RouteDefinition,
	RoutedOffer,
	RoutedStep,
	RouterSettings,
	RoutingDecision,
	RoutingRule,
	SendTiming,
	SequenceStep,
	SuppressionReason,
	SuppressionSettings,
	WinBackRoutingFields,
} from './types';
