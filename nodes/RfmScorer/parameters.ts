/**
 * Reads the RFM Scorer's parameters (once, for the whole run) into the core's option objects, and
 * rejects impossible settings with a message that names the parameter.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DateTime } from 'luxon';
import type { Zone } from 'luxon';

import { NormalizationError } from '../../core/model/errors';
import type { MoneyParseOptions } from '../../core/model/money';
import { parseDateTime } from '../../core/model/time';
import type { CustomerFieldMap, HygieneOptions, OrderFieldMap } from '../../core/rfm/aggregate';
import { DEFAULT_HYGIENE } from '../../core/rfm/aggregate';
import type { PredictiveOptions, SimpleClvOptions } from '../../core/rfm/clv';
import type { LifecycleOptions } from '../../core/rfm/lifecycle';
import { parseThresholds } from '../../core/rfm/quantiles';
import { resolveZone } from '../../core/rfm/readers';
import type { ScoringMethod } from '../../core/rfm/score';
import type { SegmentScheme, ThresholdRules } from '../../core/rfm/segmentMaps';

export interface RfmParameters {
	inputShape: 'orders' | 'customers';
	orderFields: OrderFieldMap;
	customerFields: CustomerFieldMap;
	hygiene: HygieneOptions;
	money: MoneyParseOptions;
	zone: Zone;
	referenceMillis: number;
	rollUpToAccounts: boolean;
	scoring: ScoringMethod;
	segmentScheme: SegmentScheme;
	thresholdRules: ThresholdRules;
	segmentLabels: Record<string, string>;
	lifecycle: LifecycleOptions;
	simpleClv: SimpleClvOptions;
	predictive: PredictiveOptions | null;
	failOnInvalidItems: boolean;
}

const list = (text: string): string[] =>
	text
		.split(',')
		.map((part) => part.trim().toLowerCase())
		.filter((part) => part !== '');

export function readParameters(context: IExecuteFunctions): RfmParameters {
	const node = context.getNode();
	const get = <T>(name: string, fallback?: T): T => context.getNodeParameter(name, 0, fallback) as T;
	const fail = (parameter: string, problem: string): never => {
		throw new NodeOperationError(node, `Parameter "${parameter}": ${problem}`, { description: `Fix "${parameter}" in the RFM Scorer's settings.` });
	};
	const options = get<IDataObject>('options', {});
	const option = <T>(name: string, fallback: T): T => (options[name] === undefined || options[name] === null ? fallback : (options[name] as T));

	const timezoneName = option<string>('timezone', '').trim() || context.getTimezone();
	const zone = resolveZone(timezoneName);
	if (!zone) fail('Timezone', `"${timezoneName}" is not a timezone; use an IANA name such as "Europe/Berlin" or "UTC"`);

	let referenceMillis = DateTime.now().toMillis();
	if (get<string>('referenceDate', 'now') === 'fixed') {
		const value = get<unknown>('fixedReferenceDate', '');
		if (DateTime.isDateTime(value)) referenceMillis = value.toMillis();
		else {
			try {
				referenceMillis = parseDateTime(value, 'Fixed Reference Date', { zone: (zone as Zone).name }).toMillis();
			} catch (error) {
				fail('Fixed Reference Date', error instanceof NormalizationError ? error.message.slice(error.field.length + 2) : String(error));
			}
		}
	}

	const decimalSeparator = option<string>('decimalSeparator', 'auto');
	const money: MoneyParseOptions = decimalSeparator === '.' || decimalSeparator === ',' ? { decimalSeparator } : {};
	const accountKey = option<string>('accountKeyField', 'accountKey');
	const previousSegment = option<string>('previousSegmentField', 'previousSegment');
	const currency = option<string>('currencyField', 'currency');
	const inputShape = get<'orders' | 'customers'>('inputShape', 'orders');

	const orderFields: OrderFieldMap = {
		customerKey: get<string>('customerKeyField', 'customer.email'),
		customerKeyFallback: get<string>('fallbackCustomerKeyField', 'customer.id'),
		orderDate: get<string>('orderDateField', 'createdAt'),
		total: get<string>('orderTotalField', 'total'),
		refundedTotal: get<string>('refundedTotalField', 'refundedTotal'),
		status: get<string>('statusField', 'status'),
		orderId: get<string>('orderIdField', 'id'),
		currency,
		accountKey,
		previousSegment,
	};
	const customerFields: CustomerFieldMap = {
		customerKey: get<string>('aggregatedCustomerKeyField', 'email'),
		firstOrderDate: get<string>('firstOrderDateField', 'firstOrderAt'),
		lastOrderDate: get<string>('lastOrderDateField', 'lastOrderAt'),
		orderCount: get<string>('orderCountField', 'ordersCount'),
		totalSpend: get<string>('totalSpendField', 'totalSpent'),
		currency,
		accountKey,
		previousSegment,
	};
	const required: Array<[string, string]> =
		inputShape === 'orders'
			? [
					['Customer Key Field', orderFields.customerKey],
					['Order Date Field', orderFields.orderDate],
					['Order Total Field', orderFields.total],
				]
			: [
					['Customer Key Field', customerFields.customerKey],
					['Last Order Date Field', customerFields.lastOrderDate],
					['Order Count Field', customerFields.orderCount],
					['Total Spend Field', customerFields.totalSpend],
				];
	for (const [label, path] of required) if (typeof path !== 'string' || path.trim() === '') fail(label, 'is empty; enter the path of the field in the input items');

	let scoring: ScoringMethod = { method: 'quantiles' };
	if (get<string>('scoringMethod', 'quantiles') === 'thresholds') {
		const read = (name: string, label: string, fallback: string): number[] => {
			const parsed = parseThresholds(get<string>(name, fallback));
			return typeof parsed === 'string' ? fail(label, parsed) : parsed;
		};
		scoring = {
			method: 'thresholds',
			recency: read('recencyThresholds', 'Recency Thresholds (Days)', '30, 90, 180, 365'),
			frequency: read('frequencyThresholds', 'Frequency Thresholds (Orders)', '1, 2, 3, 5'),
			monetary: read('monetaryThresholds', 'Monetary Thresholds', '100, 250, 500, 1000'),
		};
	}

	const number = (label: string, value: number, min: number): number => {
		if (typeof value !== 'number' || !Number.isFinite(value) || value < min) fail(label, `must be a number of at least ${min}, got ${String(value)}`);
		return value;
	};

	const labels: Record<string, string> = {};
	const labelEntries = ((option<IDataObject>('segmentLabels', {}).labels as IDataObject[] | undefined) ?? []) as Array<{ segment?: string; label?: string }>;
	for (const entry of labelEntries) if (entry.segment && entry.label && entry.label.trim() !== '') labels[entry.segment] = entry.label.trim();

	const predictiveOn = get<boolean>('predictiveClv', false);
	return {
		inputShape,
		orderFields,
		customerFields,
		hygiene: {
			...DEFAULT_HYGIENE,
			excludedStatuses: list(option<string>('excludedStatuses', DEFAULT_HYGIENE.excludedStatuses.join(', '))),
			countZeroValueOrders: option<boolean>('countZeroValueOrders', false),
			mergeSameDayOrders: option<boolean>('mergeSameDayOrders', false),
			negativeTotalsAreRefunds: option<boolean>('negativeTotalsAreRefunds', false),
			money,
		},
		money,
		zone: zone as Zone,
		referenceMillis,
		rollUpToAccounts: option<boolean>('rollUpToAccounts', false),
		scoring,
		segmentScheme: get<SegmentScheme>('segmentScheme', 'rfm11'),
		thresholdRules: {
			championMaxRecencyDays: number('Champion: Recency Below (Days)', get<number>('championMaxRecencyDays', 30), 0),
			championMinFrequency: number('Champion: At Least Orders', get<number>('championMinOrders', 3), 0),
			championMinMonetary: number('Champion: Spend Above', get<number>('championMinSpend', 1000), 0),
			atRiskMinRecencyDays: number('At Risk: Recency Above (Days)', get<number>('atRiskMinRecencyDays', 180), 0),
			atRiskMinFrequency: number('At Risk: At Least Orders', get<number>('atRiskMinOrders', 5), 0),
		},
		segmentLabels: labels,
		lifecycle: {
			earlyRetentionMaxOrders: number('Early Retention: Up to Orders', option<number>('earlyRetentionMaxOrders', 3), 2),
			atRiskGapMultiplier: number('At-Risk Gap Multiplier', option<number>('atRiskGapMultiplier', 1.4), 0),
			lapsedRule: option<'segmentGap' | 'months'>('lapsedRule', 'segmentGap'),
			lapsedGapMultiplier: number('Lapsed Gap Multiplier', option<number>('lapsedGapMultiplier', 2), 0),
			lapsedAfterMonths: number('Lapsed After (Months)', option<number>('lapsedAfterMonths', 12), 1),
		},
		simpleClv: {
			lifespanYears: number('Expected Lifespan (Years)', option<number>('lifespanYears', 3), 0),
			minObservationDays: number('Minimum Observation (Days)', option<number>('minObservationDays', 365), 1),
		},
		predictive: predictiveOn
			? {
					horizonMonths: number('Horizon (Months)', get<number>('horizonMonths', 12), 1),
					annualDiscountRate: number('Annual Discount Rate (%)', get<number>('annualDiscountRate', 0), 0) / 100,
					minRepeatCustomers: number('Minimum Repeat Customers', option<number>('minRepeatCustomers', 20), 2),
				}
			: null,
		failOnInvalidItems: option<string>('invalidItems', 'exclude') === 'fail',
	};
}
