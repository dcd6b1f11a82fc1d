/**
 * The node's parameters → the router core's settings. Pure (no n8n call) so it is tested directly;
 * the node reads the raw parameters once per run and hands them here.
 */
import type { DateTime } from 'luxon';

import { SettingError } from '../../core/classifier/settingError';
import { parseDateTime } from '../../core/model/time';
import type { Condition, FieldNames, FieldOperator, OfferType, RouteDefinition, RouterSettings, RoutingRule, SendTiming, SuppressionSettings } from '../../core/router';
import { DEFAULT_FIELD_NAMES, DEFAULT_ROUTE_OPTIONS, defaultRoutes, defaultRules, routeKeyFromName } from '../../core/router';

type Json = Record<string, unknown>;

export interface RouterParameters {
	routing: string;
	routes: Json;
	includeDefaultRoutes: boolean;
	defaultRouteSettings: Json;
	suppressWhen: string[];
	requireConsent: boolean;
	exitWindowDays: number;
	frequencyCapDays: number;
	debounceHours: number;
	maxDiscountShareOfClv: number;
	fieldNames: Json;
	options: Json;
}

/** Each parameter with the value n8n uses when the operator did not set it. */
export const PARAMETER_DEFAULTS: RouterParameters = {
	routing: 'defaults',
	routes: {},
	includeDefaultRoutes: true,
	defaultRouteSettings: {},
	suppressWhen: ['unsubscribed', 'openSupportCase', 'activeSubscription', 'recentPurchase', 'frequencyCap', 'segmentDebounce', 'otherJourney'],
	requireConsent: false,
	exitWindowDays: 7,
	frequencyCapDays: 3,
	debounceHours: 24,
	maxDiscountShareOfClv: 10,
	fieldNames: {},
	options: {},
};

const SUPPRESSION_CHOICES = new Set(PARAMETER_DEFAULTS.suppressWhen);
const OFFER_TYPES = new Set<OfferType>(['none', 'percent', 'fixed', 'freeShipping']);
const OPERATORS = new Set<FieldOperator>([
	'equals',
	'notEquals',
	'oneOf',
	'contains',
	'startsWith',
	'greaterThan',
	'greaterOrEqual',
	'lessThan',
	'lessOrEqual',
	'isTrue',
	'isFalse',
	'exists',
	'notExists',
	'withinLastDays',
	'olderThanDays',
]);

/**
 * @param now the time of the run in epoch ms (used when "Reference Time" is empty)
 * @param timezone the workflow's time zone, for a reference time written without an offset
 */
export function settingsFromParameters(parameters: RouterParameters, now: number, timezone = 'UTC'): RouterSettings {
	const custom = parameters.routing === 'custom';
	if (!custom && parameters.routing !== 'defaults') throw new SettingError('Routes', `"${parameters.routing}" is not a routing mode; choose "Use Default Routes" or "Define My Own Routes"`);
	const routes: RouteDefinition[] = [];
	const rules: RoutingRule[] = [];

	if (custom) {
		const entries = listOf(parameters.routes, 'route');
		if (entries.length === 0 && !parameters.includeDefaultRoutes) {
			throw new SettingError('Routes', 'has no route; add a route, or turn on "Then Use Default Routes"');
		}
		entries.forEach((entry, index) => {
			const { route, rule } = customRoute(entry, index);
			routes.push(route);
			rules.push(rule);
		});
	}
	if (!custom || parameters.includeDefaultRoutes) {
		const options = defaultRouteOptions(parameters.defaultRouteSettings);
		const defaults = defaultRoutes(options);
		routes.forEach((route, index) => {
			const clash = defaults.find((entry) => entry.key === route.key || entry.name.toLowerCase() === route.name.toLowerCase());
			if (clash) {
				throw new SettingError(`Route ${index + 1} ("${route.name}")`, `has the name of the default route "${clash.name}"; rename it, or turn off "Then Use Default Routes"`);
			}
		});
		routes.push(...defaults);
		rules.push(...defaultRules(options));
	}

	const options = parameters.options ?? {};
	return {
		routes,
		rules,
		suppression: suppressionSettings(parameters),
		fields: fieldNames(parameters.fieldNames),
		maxDiscountShareOfClv: numberSetting(parameters.maxDiscountShareOfClv, 'Max Discount (% of CLV)'),
		referenceTime: referenceTime(options.referenceTime, now, timezone),
		defaultGapDays: options.defaultGapDays === undefined ? 0 : numberSetting(options.defaultGapDays, 'Gap When Unknown (Days)'),
	};
}

function customRoute(entry: Json, index: number): { route: RouteDefinition; rule: RoutingRule } {
	const name = String(entry.name ?? '').trim();
	const label = `Route ${index + 1}${name ? ` ("${name}")` : ''}`;
	if (name === '') throw new SettingError(`Route ${index + 1}`, 'has no name; give every route a name (it labels the output)');
	const key = routeKeyFromName(name);
	if (key === '') throw new SettingError(label, 'needs at least one letter or digit in its name');

	const offerType = (entry.offerType ?? 'none') as OfferType;
	if (!OFFER_TYPES.has(offerType)) throw new SettingError(`${label}, Offer`, `"${String(offerType)}" is not an offer type`);
	const offerDefault = offerType === 'freeShipping' ? 0 : 10;
	const timingMode = String(entry.sendTiming ?? 'now');
	let timing: SendTiming;
	if (timingMode === 'now' || timingMode === 'purchaseCycle') timing = { mode: timingMode };
	else if (timingMode === 'delay') timing = { mode: 'delay', days: numberSetting(entry.delayDays ?? 1, `${label}, Delay (Days)`) };
	else throw new SettingError(`${label}, Send Time`, `"${timingMode}" is not a send time option`);

	const steps = listOf(entry.sequence, 'step').map((step, stepIndex) => ({
		step: stepIndex + 1,
		dayOffset: numberSetting(step.dayOffset ?? 0, `${label}, message ${stepIndex + 1}, Day Offset`),
		template: String(step.template ?? '').trim(),
	}));
	steps.forEach((step) => {
		if (step.template === '') throw new SettingError(`${label}, message ${step.step}`, 'has no template; enter the template or campaign ID the messaging node should send');
	});

	const match = entry.match === 'any' ? 'any' : 'all';
	const conditions = listOf(entry.conditions, 'condition').map((condition, conditionIndex) => customCondition(condition, `${label}, condition ${conditionIndex + 1}`));
	if (conditions.length === 0) throw new SettingError(label, 'has no conditions; add at least one condition so the route knows which customers it takes');

	return {
		route: {
			key,
			name,
			offer: {
				type: offerType,
				value: offerType === 'none' ? 0 : numberSetting(entry.offerValue ?? offerDefault, `${label}, Offer Value`),
				onTopCategory: entry.offerOnTopCategory !== false,
			},
			timing,
			sequence: steps,
		},
		rule: { id: label, routeKey: key, match, conditions },
	};
}

function customCondition(entry: Json, label: string): Condition {
	const subject = String(entry.subject ?? 'segment');
	switch (subject) {
		case 'segment': {
			const values = [...stringList(entry.segments), ...splitCommas(entry.otherSegments)];
			if (values.length === 0) throw new SettingError(label, 'lists no segment; pick segments or type your own in "Other Segment Values"');
			return { kind: 'segment', values };
		}
		case 'lifecycleStage': {
			const values = stringList(entry.lifecycleStages);
			if (values.length === 0) throw new SettingError(label, 'lists no lifecycle stage; pick at least one');
			return { kind: 'lifecycleStage', values };
		}
		case 'b2b':
			return { kind: 'b2b', isB2B: entry.isB2B !== false };
		case 'clvBand': {
			const min = numberSetting(entry.clvMin ?? 0, `${label}, CLV From`);
			const max = numberSetting(entry.clvMax ?? 0, `${label}, CLV Up To`);
			// 0 is "no limit" on the canvas (number fields cannot be left empty).
			return { kind: 'clvBand', min: min === 0 ? null : min, max: max === 0 ? null : max };
		}
		case 'field': {
			const operator = String(entry.operator ?? 'equals') as FieldOperator;
			if (!OPERATORS.has(operator)) throw new SettingError(`${label}, Operator`, `"${operator}" is not an operator this node knows`);
			return { kind: 'field', field: String(entry.field ?? ''), operator, value: entry.value === undefined || entry.value === null ? '' : String(entry.value) };
		}
		default:
			throw new SettingError(`${label}, Test`, `"${subject}" is not a condition type`);
	}
}

function defaultRouteOptions(raw: Json | undefined): typeof DEFAULT_ROUTE_OPTIONS {
	const settings = raw ?? {};
	return {
		b2bRoute: settings.b2bRoute === undefined ? DEFAULT_ROUTE_OPTIONS.b2bRoute : settings.b2bRoute !== false,
		winBackPercent: settings.winBackPercent === undefined ? DEFAULT_ROUTE_OPTIONS.winBackPercent : numberSetting(settings.winBackPercent, 'Default Route Settings, Win-Back Discount (%)'),
		finalWinBackPercent:
			settings.finalWinBackPercent === undefined
				? DEFAULT_ROUTE_OPTIONS.finalWinBackPercent
				: numberSetting(settings.finalWinBackPercent, 'Default Route Settings, Final Win-Back Discount (%)'),
	};
}

function suppressionSettings(parameters: RouterParameters): SuppressionSettings {
	const chosen = new Set(stringList(parameters.suppressWhen));
	for (const value of chosen) {
		if (!SUPPRESSION_CHOICES.has(value)) throw new SettingError('Suppress When', `"${value}" is not a suppression check this node knows`);
	}
	return {
		unsubscribed: chosen.has('unsubscribed'),
		requireConsent: chosen.has('unsubscribed') && parameters.requireConsent === true,
		openSupportCase: chosen.has('openSupportCase'),
		activeSubscription: chosen.has('activeSubscription'),
		recentPurchaseDays: chosen.has('recentPurchase') ? numberSetting(parameters.exitWindowDays, 'Exit Window (Days)') : null,
		frequencyCapDays: chosen.has('frequencyCap') ? numberSetting(parameters.frequencyCapDays, 'Frequency Cap (Days)') : null,
		segmentDebounceHours: chosen.has('segmentDebounce') ? numberSetting(parameters.debounceHours, 'Segment Debounce (Hours)') : null,
		otherJourney: chosen.has('otherJourney'),
	};
}

function fieldNames(raw: Json | undefined): FieldNames {
	const names: FieldNames = { ...DEFAULT_FIELD_NAMES };
	for (const [key, value] of Object.entries(raw ?? {})) {
		if (!(key in names)) continue;
		names[key as keyof FieldNames] = typeof value === 'string' ? value : String(value ?? '');
	}
	return names;
}

function referenceTime(value: unknown, now: number, timezone: string): number {
	if (value === undefined || value === null || value === '') return now;
	if (typeof value === 'object' && typeof (value as DateTime).toMillis === 'function') return (value as DateTime).toMillis();
	let problem = '';
	try {
		return parseDateTime(value, 'Reference Time', { zone: timezone }).toMillis();
	} catch (error) {
		problem = (error as Error).message.replace(/^Reference Time: /, '');
	}
	throw new SettingError('Reference Time', `${problem}; leave it empty to use the time of the run`);
}

function listOf(collection: unknown, key: string): Json[] {
	if (!collection || typeof collection !== 'object') return [];
	const list = (collection as Json)[key];
	return Array.isArray(list) ? (list.filter((entry) => entry && typeof entry === 'object') as Json[]) : [];
}

function stringList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
	if (typeof value === 'string') return splitCommas(value);
	return [];
}

function splitCommas(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

function numberSetting(value: unknown, setting: string): number {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	if (!Number.isFinite(number)) throw new SettingError(setting, `${JSON.stringify(value)} is not a number`);
	return number;
}

// Expressions that read item data: the router reads its settings once per run, so these would apply
// the first item's value to every customer. Caught at the start of the run instead.
const ITEM_EXPRESSION = /\$json\b|\$binary\b|\$itemIndex\b|\$input\.item\b|\$item\s*\(|\$\([^)]*\)\.item\b/;

/** Paths of parameters whose expression uses item data ({{ $json.x }}), e.g. "routes.route[1].conditions.condition[0].value". */
export function findItemExpressions(parameters: unknown, path = ''): string[] {
	if (typeof parameters === 'string') return parameters.startsWith('=') && ITEM_EXPRESSION.test(parameters) ? [path] : [];
	if (Array.isArray(parameters)) return parameters.flatMap((entry, index) => findItemExpressions(entry, `${path}[${index}]`));
	if (parameters && typeof parameters === 'object') {
		return Object.entries(parameters as Json).flatMap(([key, value]) => findItemExpressions(value, path ? `${path}.${key}` : key));
	}
	return [];
}
