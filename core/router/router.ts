/**
 * The Win-back Router: settings in, one function that decides every item's output.
 *
 * Order of decisions for each item (documented for operators in docs/nodes/WinBackRouter.md):
 *   1. Suppression beats routing: when any enabled suppression check applies, the item goes to
 *      Suppressed with every reason that applies.
 *   2. Otherwise the rules are tried in order and the first that matches decides the route.
 *   3. No rule matched: Unmatched, with what the item had and which fields were missing.
 *   A value that cannot be read (a date that is not a date, a yes/no that is neither) sends the item to
 *   Unmatched with that reason, at whichever step met it. No item is ever dropped.
 */
import { SettingError } from '../classifier/settingError';
import type { CompiledRule } from './conditions';
import { compileRule } from './conditions';
import { flatText } from '../model/text';
import { createIsoFormatter } from '../model/timestamps';
import { ItemFieldError } from './fields';
import { ItemView, compileFieldReaders } from './itemView';
import { chooseOffer } from './offer';
import { SUPPRESSED_OUTPUT, UNMATCHED_OUTPUT } from './routes';
import type { SuppressionHit } from './suppression';
import { compileSuppression } from './suppression';
import { computeSendTime, scheduleSequence } from './timing';
import type {
	FieldNames,
	RouteDefinition,
	RoutedOffer,
	RoutedStep,
	RouterSettings,
	RoutingDecision,
	SuppressionReason,
	WinBackRoutingFields,
} from './types';
import { FIELD_LABELS } from './types';

export interface CompiledRouter {
	/** Output labels in order: the routes, then Suppressed, then Unmatched. */
	outputNames: string[];
	suppressedOutput: number;
	unmatchedOutput: number;
	route(json: Record<string, unknown>): RoutingDecision;
}

interface CompiledRoute {
	definition: RouteDefinition;
	output: number;
	/**
	 * Send times that many customers of the route share (the reference time, or reference + delay) with
	 * their ISO text and scheduled sequence, built once. A purchase-cycle date is the customer's own and is
	 * formatted for that item alone: remembering those only cost a map entry per customer.
	 */
	sharedSends: Map<number, { sendAt: string; sequence: readonly RoutedStep[] }>;
	/** Offers of a no-incentive route depend only on the top category: one per category. */
	noIncentiveOffers: Map<string | null, RoutedOffer>;
}

/**
 * Sub-objects that are identical for many customers are built once and shared between their items,
 * frozen, so that a downstream node that edits one item in place cannot change another customer's
 * data (a write throws in strict code and is ignored otherwise; n8n copies items before its own edits).
 * Sharing them is what keeps 200,000 routed items cheap to allocate and to collect.
 */
const NO_STEPS: readonly RoutedStep[] = Object.freeze([]);
const NO_SUPPRESSION: readonly SuppressionReason[] = Object.freeze([]);
/** Memo sizes: past these, new values are still computed, just not remembered. */
const MEMO_LIMIT = 10_000;

function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
	if (memo.size < MEMO_LIMIT) memo.set(key, value);
	return value;
}

export function compileRouter(settings: RouterSettings): CompiledRouter {
	validateSettings(settings);
	const readers = compileFieldReaders(settings.fields);
	const view = new ItemView(readers, settings.referenceTime);
	const routes = new Map<string, CompiledRoute>();
	settings.routes.forEach((definition, output) => routes.set(definition.key, { definition, output, sharedSends: new Map(), noIncentiveOffers: new Map() }));
	const rules: RouteRule[] = settings.rules.map((rule) => {
		const target = routes.get(rule.routeKey);
		if (!target) throw new SettingError(rule.id, `sends items to route "${rule.routeKey}", which does not exist`);
		return { ...compileRule(rule, rule.id), target, reasonByItem: new Map() };
	});
	const suppressionChecks = compileSuppression(settings.suppression, readers);
	const suppressedOutput = settings.routes.length;
	const unmatchedOutput = suppressedOutput + 1;
	const { maxDiscountShareOfClv, referenceTime, defaultGapDays } = settings;
	const iso = createIsoFormatter();

	// Segment and stage values repeat across customers: describe each pair once.
	const itemDescriptions = new Map<unknown, Map<unknown, string>>();
	const describeItem = (): string => {
		const segment = view.raw(readers.segment);
		const stage = view.raw(readers.lifecycleStage);
		// Objects are described by content, which can change between items: never memoised.
		if ((typeof segment === 'object' && segment !== null) || (typeof stage === 'object' && stage !== null)) return describeValues(segment, stage);
		let byStage = itemDescriptions.get(segment);
		if (byStage === undefined) byStage = remember(itemDescriptions, segment, new Map<unknown, string>());
		return byStage.get(stage) ?? remember(byStage, stage, describeValues(segment, stage));
	};

	const unmatched = (reasons: string[]): RoutingDecision => ({
		output: unmatchedOutput,
		fields: {
			route: UNMATCHED_OUTPUT.key,
			routeName: UNMATCHED_OUTPUT.name,
			reasons,
			matchedRule: null,
			suppressedBy: NO_SUPPRESSION as SuppressionReason[],
			offer: null,
			sendAt: null,
			sequence: NO_STEPS as RoutedStep[],
		},
	});

	const routed = (rule: RouteRule, target: CompiledRoute): RoutingDecision => {
		const { definition } = target;
		const offerRule = definition.offer;
		let offer: RoutedOffer;
		if (offerRule.type === 'none') {
			const category = offerRule.onTopCategory ? view.optionalText(readers.topCategory) : null;
			offer =
				target.noIncentiveOffers.get(category) ??
				remember(target.noIncentiveOffers, category, Object.freeze(chooseOffer(offerRule, { clv: null, averageOrderValue: null, currency: null, topCategory: category }, maxDiscountShareOfClv)));
		} else {
			offer = chooseOffer(
				offerRule,
				{
					clv: view.clv(),
					averageOrderValue: offerRule.type === 'percent' ? view.optionalAmount(readers.averageOrderValue) : null,
					currency: view.currency(),
					topCategory: offerRule.onTopCategory ? view.optionalText(readers.topCategory) : null,
				},
				maxDiscountShareOfClv,
			);
		}
		const needsRhythm = definition.timing.mode === 'purchaseCycle';
		const sendTime = computeSendTime(
			definition.timing,
			{
				lastOrderAt: needsRhythm ? view.lastOrderAt() : null,
				averageDaysBetweenOrders: needsRhythm ? view.optionalNumber(readers.averageDaysBetweenOrders) : null,
			},
			referenceTime,
			defaultGapDays,
		);
		const itemText = describeItem();
		const routeReason = rule.reasonByItem.get(itemText) ?? remember(rule.reasonByItem, itemText, flatText(`Route "${definition.name}" by ${rule.description} (${itemText})`));
		const { millis } = sendTime;
		let send = target.sharedSends.get(millis);
		if (send === undefined) {
			const sendAt = iso(millis);
			if (millis === referenceTime || definition.timing.mode === 'delay') {
				send = { sendAt, sequence: freezeSteps(scheduleSequence(definition.sequence, millis, iso)) };
				target.sharedSends.set(millis, send);
			} else {
				send = { sendAt, sequence: definition.sequence.length === 0 ? NO_STEPS : scheduleSequence(definition.sequence, millis, iso) };
			}
		}
		const fields: WinBackRoutingFields = {
			route: definition.key,
			routeName: definition.name,
			// Offer summaries and send-time reasons are flattened where they are written (chooseOffer, computeSendTime).
			reasons: [routeReason, offer.summary, sendTime.reason],
			matchedRule: rule.description,
			suppressedBy: NO_SUPPRESSION as SuppressionReason[],
			offer,
			sendAt: send.sendAt,
			sequence: send.sequence as RoutedStep[],
		};
		return { output: target.output, fields };
	};

	const noRouteReasons = new Map<string, string>();
	const missingFieldReasons = new Map<string, string>();
	// Reused for every item: most customers are not suppressed, and their hits stay empty.
	const hits: SuppressionHit[] = [];
	const decide = (): RoutingDecision => {
		if (suppressionChecks.length > 0) {
			if (hits.length !== 0) hits.length = 0;
			for (const check of suppressionChecks) check(view, hits);
			if (hits.length > 0) {
				return {
					output: suppressedOutput,
					fields: {
						route: SUPPRESSED_OUTPUT.key,
						routeName: SUPPRESSED_OUTPUT.name,
						reasons: hits.map((hit) => flatText(hit.reason)),
						matchedRule: 'Suppression',
						suppressedBy: hits.length === 1 ? suppressedByOne(hits[0].code) : hits.map((hit) => hit.code),
						offer: null,
						sendAt: null,
						sequence: NO_STEPS as RoutedStep[],
					},
				};
			}
		}
		for (const rule of rules) {
			if (rule.test(view)) return routed(rule, rule.target);
		}
		const itemText = describeItem();
		const reasons = [noRouteReasons.get(itemText) ?? remember(noRouteReasons, itemText, flatText(`No route matched (${itemText})`))];
		for (const field of view.missing) reasons.push(missingFieldReasons.get(field) ?? remember(missingFieldReasons, field, flatText(`Field "${field}" is missing on the item`)));
		return unmatched(reasons);
	};

	const route = (json: Record<string, unknown>): RoutingDecision => {
		view.load(json);
		let failure: unknown;
		try {
			return decide();
		} catch (error) {
			failure = error;
		}
		if (failure instanceof ItemFieldError) return unmatched([failure.reason]);
		throw failure;
	};

	return {
		outputNames: [...settings.routes.map((definition) => definition.name), SUPPRESSED_OUTPUT.name, UNMATCHED_OUTPUT.name],
		suppressedOutput,
		unmatchedOutput,
		route,
	};
}

type RouteRule = CompiledRule & {
	target: CompiledRoute;
	/** The "Route ... by ..." reason per item description (segment and stage values). */
	reasonByItem: Map<string, string>;
};

// Most suppressed customers have one reason: one shared, frozen list per code.
const SUPPRESSED_BY_ONE = new Map<SuppressionReason, SuppressionReason[]>();

function suppressedByOne(code: SuppressionReason): SuppressionReason[] {
	let list = SUPPRESSED_BY_ONE.get(code);
	if (list === undefined) {
		list = Object.freeze([code]) as SuppressionReason[];
		SUPPRESSED_BY_ONE.set(code, list);
	}
	return list;
}

function freezeSteps(steps: RoutedStep[]): readonly RoutedStep[] {
	for (const step of steps) Object.freeze(step);
	return Object.freeze(steps);
}

function describeValues(segment: unknown, stage: unknown): string {
	return `segment: ${quoteValue(segment)}, lifecycle stage: ${quoteValue(stage)}`;
}

function quoteValue(value: unknown): string {
	if (value === undefined || value === null || value === '') return 'none';
	return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

function validateSettings(settings: RouterSettings): void {
	const keys = new Set<string>();
	const names = new Set<string>();
	settings.routes.forEach((route, index) => {
		const where = `Route ${index + 1} ("${route.name}")`;
		if (route.key === '' || route.name.trim() === '') throw new SettingError(`Route ${index + 1}`, 'has no name; give every route a name (it labels the output)');
		if (route.key === SUPPRESSED_OUTPUT.key || route.key === UNMATCHED_OUTPUT.key) {
			throw new SettingError(where, `"${route.name}" is reserved for the node's own output; choose another name`);
		}
		if (keys.has(route.key) || names.has(route.name.trim().toLowerCase())) {
			throw new SettingError(where, `another route already has this name; route names must differ (they label the outputs and become the "route" value)`);
		}
		keys.add(route.key);
		names.add(route.name.trim().toLowerCase());
		const { offer } = route;
		if (!Number.isFinite(offer.value) || offer.value < 0) throw new SettingError(`${where}, Offer Value`, `must be zero or more (got ${offer.value})`);
		if (offer.type === 'percent' && (offer.value <= 0 || offer.value > 100)) {
			throw new SettingError(`${where}, Offer Value`, `a percent discount must be above 0 and at most 100 (got ${offer.value})`);
		}
		if (offer.type === 'fixed' && offer.value <= 0) throw new SettingError(`${where}, Offer Value`, `a fixed discount must be above 0 (got ${offer.value})`);
		if (route.timing.mode === 'delay' && (!Number.isFinite(route.timing.days) || route.timing.days < 0)) {
			throw new SettingError(`${where}, Delay (Days)`, `must be zero or more (got ${route.timing.days})`);
		}
		route.sequence.forEach((step, stepIndex) => {
			if (!Number.isFinite(step.dayOffset) || step.dayOffset < 0) {
				throw new SettingError(`${where}, message ${stepIndex + 1}`, `Day Offset must be zero or more (got ${step.dayOffset})`);
			}
		});
	});
	const share = settings.maxDiscountShareOfClv;
	if (!Number.isFinite(share) || share < 0 || share > 100) {
		throw new SettingError('Max Discount (% of CLV)', `must be between 0 and 100 (got ${share})`);
	}
	if (!Number.isFinite(settings.referenceTime)) throw new SettingError('Reference Time', 'is not a valid date and time');
	if (!Number.isFinite(settings.defaultGapDays) || settings.defaultGapDays < 0) {
		throw new SettingError('Gap When Unknown (Days)', `must be zero or more (got ${settings.defaultGapDays})`);
	}
	const { suppression } = settings;
	for (const [value, setting] of [
		[suppression.recentPurchaseDays, 'Exit Window (Days)'],
		[suppression.frequencyCapDays, 'Frequency Cap (Days)'],
		[suppression.segmentDebounceHours, 'Segment Debounce (Hours)'],
	] as const) {
		if (value !== null && (!Number.isFinite(value) || value < 0)) throw new SettingError(setting, `must be zero or more (got ${value})`);
	}
	for (const key of Object.keys(settings.fields) as Array<keyof FieldNames>) {
		const path = settings.fields[key];
		if (typeof path !== 'string' || path.trim() === '') {
			throw new SettingError(`Field Names, ${FIELD_LABELS[key]}`, 'is empty; enter the field name or remove the option to use the default');
		}
	}
}
