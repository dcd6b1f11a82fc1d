import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { DEFAULT_FIELD_NAMES, DEFAULT_ROUTE_OPTIONS, FIELD_LABELS, lifecycleStageOptions, segmentOptions } from '../../core/router';
import type { FieldNames } from '../../core/router';

const FIELD_HINTS: Record<keyof FieldNames, string> = {
	segment: 'Segment key or label written by the RFM Scorer (any of the three schemes)',
	lifecycleStage: 'Lifecycle stage written by the RFM Scorer: new, early_retention, loyal, at_risk or lapsed',
	isB2B: 'Yes/no flag written by the B2B Classifier; an item without it counts as not B2B',
	predictedClv: 'Predicted customer lifetime value; used for the discount cap and CLV bands',
	historicalClv: 'Historical CLV; used when the predicted CLV is absent',
	averageOrderValue: 'Average order value; caps percent discounts (average order × percent ≤ share × CLV)',
	topCategory: 'The product category the customer buys most; the offer is put on it',
	currency: 'Three-letter currency of the amounts; rounds capped amounts to the currency',
	lastOrderAt: 'Date and time of the last order; for "exit when purchased" and purchase-cycle timing',
	averageDaysBetweenOrders: "The customer's usual gap between orders in days; for purchase-cycle timing",
	lastRefundAt: 'Date and time of the last refund; a recent refund also exits the customer',
	unsubscribed: 'Yes when the customer unsubscribed from marketing',
	marketingConsent: 'Marketing consent yes/no (canonical customer: consent.emailMarketing); no suppresses',
	openSupportCase: 'Yes (or a count above 0) while the customer has an open support case',
	activeSubscription: 'Yes while the customer has an active subscription',
	lastContactedAt: 'When the customer was last messaged; for the frequency cap',
	segmentChangedAt: 'When the segment last changed; for the segment debounce',
	segmentChanged: 'Yes when the RFM Scorer found a new segment in this run (used when there is no change time)',
	activeJourney: 'Name of a journey the customer is in now (or yes/no, or a list of names)',
};

const fieldNameOptions: INodeProperties[] = (Object.keys(DEFAULT_FIELD_NAMES) as Array<keyof FieldNames>).map((key) => {
	const defaultName = DEFAULT_FIELD_NAMES[key];
	return {
		displayName: FIELD_LABELS[key],
		name: key,
		type: 'string',
		default: defaultName,
		placeholder: defaultName,
		description: `${FIELD_HINTS[key]}. Dot paths work (e.g. "customer.${key}").`,
	};
});

const asOptions = (options: Array<{ value: string; name: string }>): INodePropertyOptions[] => options.map(({ name, value }) => ({ name, value }));

const conditionValues: INodeProperties[] = [
	{
		displayName: 'Test',
		name: 'subject',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'B2B Flag', value: 'b2b', description: "The B2B Classifier's isB2B" },
			{ name: 'CLV Band', value: 'clvBand', description: 'Predicted CLV, else historical CLV, within a range' },
			{ name: 'Field', value: 'field', description: 'Any field on the item, with an operator' },
			{ name: 'Lifecycle Stage', value: 'lifecycleStage' },
			{ name: 'Segment', value: 'segment', description: 'RFM segment of any of the three schemes' },
		],
		default: 'segment',
	},
	{
		displayName: 'Segments',
		name: 'segments',
		type: 'multiOptions',
		options: asOptions(segmentOptions()),
		default: [],
		description: 'The item matches when its segment is one of these (keys and labels both match, case and spacing ignored)',
		displayOptions: { show: { subject: ['segment'] } },
	},
	{
		displayName: 'Other Segment Values',
		name: 'otherSegments',
		type: 'string',
		default: '',
		placeholder: 'e.g. VIP, Dormant',
		description: "Your own segment names, separated by commas, for segments outside the three schemes",
		displayOptions: { show: { subject: ['segment'] } },
	},
	{
		displayName: 'Lifecycle Stages',
		name: 'lifecycleStages',
		type: 'multiOptions',
		options: asOptions(lifecycleStageOptions()),
		default: [],
		displayOptions: { show: { subject: ['lifecycleStage'] } },
	},
	{
		displayName: 'Is B2B',
		name: 'isB2B',
		type: 'boolean',
		default: true,
		description: 'Whether the route takes B2B customers (on) or consumers (off). Items without the flag count as consumers.',
		displayOptions: { show: { subject: ['b2b'] } },
	},
	{
		displayName: 'CLV From',
		name: 'clvMin',
		type: 'number',
		default: 0,
		description: 'Lowest CLV in the band (included); 0 means no lower limit',
		displayOptions: { show: { subject: ['clvBand'] } },
	},
	{
		displayName: 'CLV Up To',
		name: 'clvMax',
		type: 'number',
		default: 0,
		description: 'CLV the band stops below (not included); 0 means no upper limit',
		displayOptions: { show: { subject: ['clvBand'] } },
	},
	{
		displayName: 'Field',
		name: 'field',
		type: 'string',
		default: '',
		placeholder: 'e.g. tags or address.country',
		description: 'Name of the field on the item; dot paths work',
		displayOptions: { show: { subject: ['field'] } },
	},
	{
		displayName: 'Operator',
		name: 'operator',
		type: 'options',
		noDataExpression: true,
		// Ordered as an operator reads them, not alphabetically.
		// eslint-disable-next-line n8n-nodes-base/node-param-options-type-unsorted-items
		options: [
			{ name: 'Is', value: 'equals', description: 'Text ignoring case, numbers as numbers' },
			{ name: 'Is Not', value: 'notEquals' },
			{ name: 'Is One Of', value: 'oneOf', description: 'Values separated by commas' },
			{ name: 'Contains', value: 'contains', description: 'Text contains the value, or a list has it as an entry' },
			{ name: 'Starts With', value: 'startsWith' },
			{ name: 'Is Greater Than', value: 'greaterThan' },
			{ name: 'Is at Least', value: 'greaterOrEqual' },
			{ name: 'Is Less Than', value: 'lessThan' },
			{ name: 'Is at Most', value: 'lessOrEqual' },
			{ name: 'Is True', value: 'isTrue', description: 'Yes/no value is yes (true, yes, 1, or a count above 0)' },
			{ name: 'Is False', value: 'isFalse' },
			{ name: 'Is Present', value: 'exists' },
			{ name: 'Is Absent', value: 'notExists', description: 'Missing, null or empty' },
			{ name: 'Date Is Within the Last (Days)', value: 'withinLastDays' },
			{ name: 'Date Is More Than (Days) Ago', value: 'olderThanDays' },
		],
		default: 'equals',
		displayOptions: { show: { subject: ['field'] } },
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		displayOptions: { show: { subject: ['field'] }, hide: { operator: ['isTrue', 'isFalse', 'exists', 'notExists'] } },
	},
];

const offerValue = (displayName: string, type: string, fallback: number, description: string): INodeProperties => ({
	displayName,
	name: 'offerValue',
	type: 'number',
	default: fallback,
	description,
	displayOptions: { show: { offerType: [type] } },
});

const routeValues: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. VIP High CLV',
		description: 'Labels the output on the canvas; written on items as routeName, and as route in snake_case (vip_high_clv)',
	},
	{
		displayName: 'Match',
		name: 'match',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'All Conditions', value: 'all' },
			{ name: 'Any Condition', value: 'any' },
		],
		default: 'all',
	},
	{
		displayName: 'Conditions',
		name: 'conditions',
		type: 'fixedCollection',
		placeholder: 'Add Condition',
		typeOptions: { multipleValues: true },
		default: {},
		options: [{ name: 'condition', displayName: 'Condition', values: conditionValues }],
	},
	{
		displayName: 'Offer',
		name: 'offerType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fixed Amount Off', value: 'fixed' },
			{ name: 'Free Shipping', value: 'freeShipping' },
			{ name: 'No Incentive', value: 'none' },
			{ name: 'Percent Off', value: 'percent' },
		],
		default: 'none',
		description: 'The incentive; discounts are capped by "Max Discount (% of CLV)"',
	},
	offerValue('Discount (%)', 'percent', 10, 'Percent off, capped so that average order value × percent stays within the CLV share'),
	offerValue('Amount Off', 'fixed', 10, 'Amount off in the store currency, capped at the CLV share'),
	offerValue('Estimated Shipping Cost', 'freeShipping', 0, 'What free shipping costs you on one order; 0 means unknown (free shipping is then not capped)'),
	{
		displayName: 'Offer On Top Category',
		name: 'offerOnTopCategory',
		type: 'boolean',
		default: true,
		description: 'Whether to put the offer on the category the customer buys most (from "Top Category Field"); off makes it store-wide',
		displayOptions: { hide: { offerType: ['none'] } },
	},
	{
		displayName: 'Send Time',
		name: 'sendTiming',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Now', value: 'now', description: 'At the reference time' },
			{ name: 'Purchase Cycle', value: 'purchaseCycle', description: "Last order + the customer's usual gap between orders, never in the past" },
			{ name: 'After a Delay', value: 'delay', description: 'Reference time + a number of days' },
		],
		default: 'now',
	},
	{
		displayName: 'Delay (Days)',
		name: 'delayDays',
		type: 'number',
		default: 1,
		displayOptions: { show: { sendTiming: ['delay'] } },
	},
	{
		displayName: 'Messages',
		name: 'sequence',
		type: 'fixedCollection',
		placeholder: 'Add Message',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description: 'The message sequence written on each item for the messaging node (step numbers follow this order)',
		options: [
			{
				name: 'step',
				displayName: 'Message',
				values: [
					{ displayName: 'Day Offset', name: 'dayOffset', type: 'number', default: 0, description: 'Days after the send time' },
					{ displayName: 'Template', name: 'template', type: 'string', default: '', placeholder: 'e.g. win_back_offer', description: 'Template or campaign ID in your messaging tool' },
				],
			},
		],
	},
];

const { winBackPercent, finalWinBackPercent } = DEFAULT_ROUTE_OPTIONS;

const defaultRouteSettings = (show: Record<string, Array<string | boolean>>): INodeProperties => ({
	displayName: 'Default Route Settings',
	name: 'defaultRouteSettings',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	displayOptions: { show },
	options: [
		{
			displayName: 'B2B Route First',
			name: 'b2bRoute',
			type: 'boolean',
			default: true,
			description: 'Whether B2B customers go to "B2B Account Manager" before any segment rule. Off: they follow the consumer routes (the output stays, empty).',
		},
		{
			displayName: 'Win-Back Discount (%)',
			name: 'winBackPercent',
			type: 'number',
			default: winBackPercent,
			description: 'Percent off on "Win-back Incentive" (At Risk, Can\'t Lose Them), capped by CLV',
		},
		{
			displayName: 'Final Win-Back Discount (%)',
			name: 'finalWinBackPercent',
			type: 'number',
			default: finalWinBackPercent,
			description: 'Percent off on "Final Win-back" (Hibernating, Lost, lapsed), capped by CLV',
		},
	],
});

export const winBackRouterProperties: INodeProperties[] = [
	{
		displayName: 'Routes',
		name: 'routing',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Use Default Routes',
				value: 'defaults',
				description: 'B2B Account Manager, VIP Loyalty, Replenishment, Win-back Incentive, Final Win-back, Second Purchase',
			},
			{ name: 'Define My Own Routes', value: 'custom', description: 'One output per route; the first route that matches wins' },
		],
		default: 'defaults',
		description: 'Each route is an output. Suppressed and Unmatched always follow, so no customer is dropped.',
	},
	{
		displayName: 'Routes',
		name: 'routes',
		type: 'fixedCollection',
		placeholder: 'Add Route',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description: 'Tried from top to bottom; the first route whose conditions match takes the customer',
		displayOptions: { show: { routing: ['custom'] } },
		options: [{ name: 'route', displayName: 'Route', values: routeValues }],
	},
	{
		displayName: 'Then Use Default Routes',
		name: 'includeDefaultRoutes',
		type: 'boolean',
		default: true,
		description: 'Whether customers that match none of your routes go on to the default routes (added as outputs after yours)',
		displayOptions: { show: { routing: ['custom'] } },
	},
	defaultRouteSettings({ routing: ['defaults'] }),
	defaultRouteSettings({ routing: ['custom'], includeDefaultRoutes: [true] }),
	{
		displayName: 'Suppress When',
		name: 'suppressWhen',
		type: 'multiOptions',
		// Ordered as the checks run.
		// eslint-disable-next-line n8n-nodes-base/node-param-multi-options-type-unsorted-items
		options: [
			{ name: 'Unsubscribed or No Marketing Consent', value: 'unsubscribed' },
			{ name: 'Open Support Case', value: 'openSupportCase' },
			{ name: 'Active Subscription', value: 'activeSubscription' },
			{ name: 'Purchased or Refunded Recently (Exit When Purchased)', value: 'recentPurchase' },
			{ name: 'Contacted Recently (Frequency Cap)', value: 'frequencyCap' },
			{ name: 'Segment Just Changed (Debounce)', value: 'segmentDebounce' },
			{ name: 'In Another Journey', value: 'otherJourney' },
		],
		default: ['unsubscribed', 'openSupportCase', 'activeSubscription', 'recentPurchase', 'frequencyCap', 'segmentDebounce', 'otherJourney'],
		description: 'Suppression beats routing: a customer any of these apply to goes to Suppressed with the reasons. An absent field never suppresses.',
	},
	{
		displayName: 'Require Marketing Consent',
		name: 'requireConsent',
		type: 'boolean',
		default: false,
		description: 'Whether customers without a consent value are suppressed too (off: only an explicit "no" or an unsubscribe suppresses)',
		displayOptions: { show: { suppressWhen: ['unsubscribed'] } },
	},
	{
		displayName: 'Exit Window (Days)',
		name: 'exitWindowDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 7,
		description: 'Customers who ordered or got a refund within this many days are suppressed',
		displayOptions: { show: { suppressWhen: ['recentPurchase'] } },
	},
	{
		displayName: 'Frequency Cap (Days)',
		name: 'frequencyCapDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 3,
		description: 'Customers messaged less than this many days ago are suppressed',
		displayOptions: { show: { suppressWhen: ['frequencyCap'] } },
	},
	{
		displayName: 'Segment Debounce (Hours)',
		name: 'debounceHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 24,
		description: 'Customers whose segment changed less than this many hours ago are suppressed, so a segment that flips back and forth triggers nothing',
		displayOptions: { show: { suppressWhen: ['segmentDebounce'] } },
	},
	{
		displayName: 'Max Discount (% of CLV)',
		name: 'maxDiscountShareOfClv',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 10,
		description:
			"No discount may cost more than this share of the customer's CLV (predicted, else historical). Fixed amounts are cut to it; percents are cut so average order value × percent stays within it.",
	},
	{
		displayName: 'Field Names',
		name: 'fieldNames',
		type: 'collection',
		placeholder: 'Map a Field',
		default: {},
		description: 'Where the router reads each value; the defaults are the names the RFM Scorer and B2B Classifier write',
		options: fieldNameOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Reference Time',
				name: 'referenceTime',
				type: 'dateTime',
				default: '',
				description: 'The "now" of every comparison and send time; empty means the time of the run. Fix it to reproduce a run.',
			},
			{
				displayName: 'Gap When Unknown (Days)',
				name: 'defaultGapDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Purchase-cycle timing for customers with no usual gap yet (one order): last order + this many days; 0 sends now',
			},
		],
	},
];
