import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, DEFAULT_CONSENT_ATTRIBUTES, DEFAULT_RATE_PER_SECOND } from '../../core/customerio/limits';

/** The node's parameters, in the order an operator meets them. */

const PERSON_OPS_WITH_IDENTIFIER = ['identify', 'merge', 'suppress', 'unsuppress', 'delete'];

const show = (resource: string, operation: string[]) => ({ show: { resource: [resource], operation } });

export const CUSTOM_EVENT_NAME = '__custom';


const identifierTypeOptions = [
	{ name: 'Email', value: 'email', description: 'People are keyed by email address (typical for a D2C store); emails are trimmed and lower-cased' },
	{ name: 'ID', value: 'id', description: 'People are keyed by an ID you choose, e.g. the Zoho CRM contact ID or the store customer ID' },
	{ name: 'Customer.io ID', value: 'cio_id', description: 'The ID Customer.io assigned to the person (cio_id)' },
];

const mappingValues = (nameLabel: string, namePlaceholder: string): INodeProperties[] => [
	{
		displayName: nameLabel,
		name: 'name',
		type: 'string',
		default: '',
		placeholder: namePlaceholder,
		description: 'The name it gets in Customer.io',
	},
	{
		displayName: 'From Field',
		name: 'field',
		type: 'string',
		default: '',
		placeholder: 'e.g. customer.first_name',
		description: 'The field of the input item that holds the value (a name, or a path with dots)',
	},
];

const runOptions = (operations: string[]): INodeProperties[] =>
	[
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to output the requests the node would send (one item per request, linked to the items it carries) without sending anything to Customer.io',
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: DEFAULT_CONCURRENCY,
			description: 'Requests to Customer.io in flight at once',
		},
		{
			displayName: 'Max Requests per Second',
			name: 'ratePerSecond',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: DEFAULT_RATE_PER_SECOND,
			description: 'Pace of requests, retries included. Customer.io asks integrations to stay within its Track API rate (documented as 1000 per second, 100 in older versions of its docs) and answers 429 when throttling.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 5,
			description: 'How often a request that failed with 429, a 5xx error or a dropped connection is repeated (exponential backoff with jitter) before its items go to the Failed output',
		},
		{
			displayName: 'First Retry Delay (Ms)',
			name: 'retryDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 500,
			description: 'Upper bound of the wait before the first retry; each further retry doubles it (up to 30 s), with random jitter. A Retry-After from Customer.io takes precedence.',
		},
	].map((option) => ({ ...option, displayOptions: { show: { '/operation': operations } } }) as INodeProperties);

const valueOptions = (operations: string[]): INodeProperties[] =>
	[
		{
			displayName: 'Fields Never Sent',
			name: 'excludeFields',
			type: 'string',
			default: '',
			placeholder: 'e.g. raw, lineItems',
			description: 'Comma-separated top-level fields that "Send All Other Fields" leaves out',
		},
		{
			displayName: 'Send Date Names (Ending in At) as Unix Time',
			name: 'convertAtSuffix',
			type: 'boolean',
			default: true,
			description: 'Whether values of attributes whose names end in "_at" (created_at, last_order_at…) are sent as Unix timestamps in seconds, whatever format they arrive in — Customer.io only treats Unix seconds as dates',
		},
		{
			displayName: 'More Timestamp Names',
			name: 'timestampNames',
			type: 'string',
			default: '',
			placeholder: 'e.g. birthday, first_order',
			description: 'Comma-separated attribute or property names that also hold dates and are sent as Unix seconds',
		},
		{
			displayName: 'Time Zone for Local Times',
			name: 'timeZone',
			type: 'string',
			default: 'UTC',
			placeholder: 'e.g. Europe/Berlin',
			description: 'How to read timestamps written without an offset ("2024-03-01 10:15:00"). An IANA zone name.',
		},
		{
			displayName: 'Empty Values',
			name: 'emptyValues',
			type: 'options',
			options: [
				{ name: 'Leave Attribute Unchanged', value: 'skip', description: 'An empty field does not touch the attribute in Customer.io' },
				{ name: 'Clear Attribute', value: 'clear', description: 'An empty field removes the attribute in Customer.io' },
			],
			default: 'skip',
			description: 'What an empty or missing field means',
		},
		{
			displayName: 'Unknown Enum Values',
			name: 'unknownEnumValues',
			type: 'options',
			options: [
				{ name: 'Fail the Item', value: 'error', description: 'The item goes to the Failed output, naming the value and the allowed spellings' },
				{ name: 'Send As Is', value: 'keep', description: 'Values not in the list are sent trimmed but otherwise unchanged' },
			],
			default: 'error',
			description: 'What to do with a value of an enum attribute that matches none of its spellings',
		},
	].map((option) => ({ ...option, displayOptions: { show: { '/operation': operations } } }) as INodeProperties);

/** n8n lists collection options in the order given; alphabetical is what operators expect. */
function byDisplayName(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Person', value: 'person' },
			{ name: 'Event', value: 'event' },
		],
		default: 'person',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['person'] } },
		options: [
			{ name: 'Delete', value: 'delete', action: 'Delete a person', description: 'Remove people and their data from Customer.io' },
			{ name: 'Identify', value: 'identify', action: 'Identify a person', description: 'Create or update people and their attributes, and send change events' },
			{ name: 'Merge', value: 'merge', action: 'Merge two people', description: 'Merge a duplicate (secondary) person into the one that stays (primary)' },
			{ name: 'Suppress', value: 'suppress', action: 'Suppress a person', description: 'Delete people and block their identifiers from being added again (for GDPR/CCPA requests)' },
			{ name: 'Unsuppress', value: 'unsuppress', action: 'Unsuppress a person', description: 'Allow suppressed identifiers to be added again' },
		],
		default: 'identify',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{ name: 'Track', value: 'track', action: 'Track an event', description: 'Record an event for a person, e.g. order_completed' },
			{ name: 'Track Anonymous', value: 'trackAnonymous', action: 'Track an anonymous event', description: 'Record an event for a visitor not identified yet, by anonymous ID' },
		],
		default: 'track',
	},

	// ---------------------------------------------------------------- who
	{
		displayName: 'Identify People By',
		name: 'identifierType',
		type: 'options',
		options: identifierTypeOptions,
		default: 'email',
		displayOptions: { show: { operation: [...PERSON_OPS_WITH_IDENTIFIER, 'track'] } },
		description:
			'The one identifier this node keys people by. Choose it once: other identifiers an item carries (an email when keying by ID, an ID when keying by email) are sent as attributes of the same person, never as a second profile. Items without it go to the Failed output.',
	},
	{
		displayName: 'Identifier Field',
		name: 'identifierField',
		type: 'string',
		default: 'email',
		required: true,
		placeholder: 'e.g. email, customer.email, zohoContactId',
		displayOptions: { show: { operation: [...PERSON_OPS_WITH_IDENTIFIER, 'track'] } },
		description: 'The field of each input item that holds the identifier (a name, or a path with dots). For Merge this is the primary person, who stays.',
	},
	{
		displayName: 'Secondary Person Identified By',
		name: 'secondaryIdentifierType',
		type: 'options',
		options: identifierTypeOptions,
		default: 'id',
		displayOptions: show('person', ['merge']),
		description: 'How the duplicate person (who is merged in and then deleted) is identified',
	},
	{
		displayName: 'Secondary Identifier Field',
		name: 'secondaryIdentifierField',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. duplicateId',
		displayOptions: show('person', ['merge']),
		description: 'The field that holds the duplicate person\'s identifier. Merging cannot be undone; the primary person must already exist.',
	},
	{
		displayName: 'Suppressing deletes each person and blocks their identifiers from being added again until unsuppressed. To stop messages but keep the person, send the "unsubscribed" attribute with Identify instead.',
		name: 'suppressNotice',
		type: 'notice',
		default: '',
		displayOptions: show('person', ['suppress']),
	},
	{
		displayName: 'Anonymous ID Field',
		name: 'anonymousIdField',
		type: 'string',
		default: 'anonymousId',
		required: true,
		displayOptions: show('event', ['trackAnonymous']),
		description: 'The field with the visitor\'s anonymous ID. When a person is later identified with the same anonymous_id attribute, Customer.io links these events to them (within 30 days, if event merging is on).',
	},

	// ---------------------------------------------------------------- identify
	{
		displayName: 'Attributes',
		name: 'attributes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Attribute',
		default: {},
		displayOptions: show('person', ['identify']),
		description: 'Person attributes and the item fields they come from. Values of names ending in "_at" are sent as Unix seconds.',
		options: [{ displayName: 'Attribute', name: 'attribute', values: mappingValues('Attribute Name', 'e.g. first_name') }],
	},
	{
		displayName: 'Send All Other Fields',
		name: 'sendAllFields',
		type: 'boolean',
		default: false,
		displayOptions: show('person', ['identify']),
		description: 'Whether every other top-level field of the item is also sent, under its own name (except the identifier field and "Fields Never Sent" in Options)',
	},
	{
		displayName: 'Enum Attributes',
		name: 'enumAttributes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Enum Attribute',
		default: {},
		displayOptions: { show: { operation: ['identify', 'track', 'trackAnonymous'] } },
		description: 'Attributes whose values must be spelled one way, e.g. segment, lifecycle_stage, vip_tier: "VIP", "Vip" and "vip" all become the spelling you list',
		options: [
			{
				displayName: 'Enum',
				name: 'enum',
				values: [
					{
						displayName: 'Attribute Name',
						name: 'attribute',
						type: 'string',
						default: '',
						placeholder: 'e.g. vip_tier',
					},
					{
						displayName: 'Allowed Values',
						name: 'values',
						type: 'string',
						default: '',
						placeholder: 'e.g. VIP=premium|v.i.p., Gold, Silver',
						description:
							'Comma-separated spellings to send. Input matches them ignoring case, spaces and underscores ("at_risk" matches "At Risk"); add other words that mean the same after "=" separated by "|".',
					},
				],
			},
		],
	},
	{
		displayName: 'Change Events',
		name: 'changeEvents',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Change Event',
		default: {},
		displayOptions: show('person', ['identify']),
		description: 'Send an event when an item carries a previous and a current value that differ, e.g. the RFM Scorer\'s previousSegment and segment. No event when they are equal.',
		options: [
			{
				displayName: 'Change Event',
				name: 'change',
				values: [
					{
						displayName: 'Attribute',
						name: 'attribute',
						type: 'string',
						default: 'segment',
						description: 'The attribute that changed; sent as the event\'s \'attribute\' property, and its enum spelling applies to from/to',
					},
					{
						displayName: 'Changed Flag Field',
						name: 'changedFlagField',
						type: 'string',
						default: 'segmentChanged',
						description: 'Optional field that says whether the value changed; when it is false no event is sent. Leave empty to compare the values only.',
					},
					{
						displayName: 'Current Value Field',
						name: 'currentField',
						type: 'string',
						default: 'segment',
					},
					{
						displayName: 'Event Name',
						name: 'name',
						type: 'string',
						default: 'segment_changed',
						placeholder: 'e.g. lifecycle_stage_changed',
					},
					{
						displayName: 'Previous Value Field',
						name: 'previousField',
						type: 'string',
						default: 'previousSegment',
					},
					{
						displayName: 'Send When There Is No Previous Value',
						name: 'emitWithoutPrevious',
						type: 'boolean',
						default: false,
						description: 'Whether a person\'s first value (no previous value) also sends an event, with \'from\' empty',
					},
				],
			},
		],
	},

	// ---------------------------------------------------------------- events
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'options',
		options: [
			{ name: 'Cart Abandoned', value: 'cart_abandoned', description: 'Sends "cart_abandoned"' },
			{ name: 'Deal Won', value: 'deal_won', description: 'Sends "deal_won"' },
			{ name: 'Lifecycle Stage Changed', value: 'lifecycle_stage_changed', description: 'Sends "lifecycle_stage_changed"' },
			{ name: 'Order Completed', value: 'order_completed', description: 'Sends "order_completed"' },
			{ name: 'Other (Type a Name)…', value: '__custom' },
			{ name: 'Refund Issued', value: 'refund_issued', description: 'Sends "refund_issued"' },
			{ name: 'Segment Changed', value: 'segment_changed', description: 'Sends "segment_changed"' },
			{ name: 'Subscription Renewed', value: 'subscription_renewed', description: 'Sends "subscription_renewed"' },
		],
		default: 'order_completed',
		displayOptions: { show: { resource: ['event'] } },
		description: 'The event\'s name in Customer.io, which campaigns trigger on',
	},
	{
		displayName: 'Custom Event Name',
		name: 'customEventName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. winback_offer_sent',
		displayOptions: { show: { resource: ['event'], eventName: [CUSTOM_EVENT_NAME] } },
		description: 'Any event name up to 100 bytes; an expression may give each item its own',
	},
	{
		displayName: 'Event Data',
		name: 'eventData',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Property',
		default: {},
		displayOptions: { show: { resource: ['event'] } },
		description: 'Event properties (for liquid in messages, e.g. {{event.order_total}}) and the fields they come from',
		options: [{ displayName: 'Property', name: 'property', values: mappingValues('Property Name', 'e.g. order_total') }],
	},
	{
		displayName: 'Send All Other Fields as Data',
		name: 'sendAllFieldsAsData',
		type: 'boolean',
		default: false,
		displayOptions: { show: { resource: ['event'] } },
		description: 'Whether every other top-level field of the item is also sent as event data',
	},
	{
		displayName: 'Event Timestamp Field',
		name: 'timestampField',
		type: 'string',
		default: '',
		placeholder: 'e.g. order.createdAt',
		displayOptions: { show: { resource: ['event'] } },
		description: 'Field with when the event happened, in any date format; sent as Unix seconds. Empty: the time Customer.io receives it.',
	},
	{
		displayName: 'Dedupe Key Fields',
		name: 'dedupeKeyFields',
		type: 'string',
		default: '',
		// Field paths are case-sensitive: "order.id" is the field's real name.
		// eslint-disable-next-line n8n-nodes-base/node-param-placeholder-miscased-id
		placeholder: 'e.g. order.id',
		displayOptions: { show: { resource: ['event'] } },
		description:
			'Comma-separated fields that make the event unique, e.g. the order ID for order_completed or the cart ID for cart_abandoned. The node turns them into a stable event ID, and Customer.io drops an event whose ID it has seen, so retries and re-runs never double it. Empty: the ID comes from the event\'s data and timestamp.',
	},

	// ---------------------------------------------------------------- options
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: byDisplayName([
			{
				displayName: 'Source of Truth Attribute',
				name: 'sourceOfTruthAttribute',
				type: 'string',
				default: 'source_of_truth',
				displayOptions: { show: { '/operation': ['identify'] } },
				description: 'Name of the attribute that records which system last wrote this person (used with "Source of Truth Value")',
			},
			{
				displayName: 'Source of Truth Value',
				name: 'sourceOfTruthValue',
				type: 'string',
				default: '',
				placeholder: 'e.g. zoho_crm',
				displayOptions: { show: { '/operation': ['identify'] } },
				description: 'Stamped on every person this node writes, so campaigns and people can see where the data came from. Empty: not sent.',
			},
			{
				displayName: 'Source Updated At Field',
				name: 'updatedAtField',
				type: 'string',
				default: '',
				placeholder: 'e.g. Modified_Time',
				displayOptions: { show: { '/operation': ['identify'] } },
				description: 'Field with when the source last changed this person. Sent as the update\'s timestamp, so Customer.io never lets an older update overwrite a newer one.',
			},
			{
				displayName: 'This Source Owns Consent',
				name: 'ownsConsent',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '/operation': ['identify'] } },
				description:
					'Whether this node may set consent attributes (unsubscribed, subscription preferences, the names in "Consent Attributes"). Off: they are never sent, so a sync cannot re-subscribe someone who unsubscribed in Customer.io; the item lists them under customerio.withheldAttributes.',
			},
			{
				displayName: 'Consent Attributes',
				name: 'consentAttributes',
				type: 'string',
				default: DEFAULT_CONSENT_ATTRIBUTES.join(', '),
				displayOptions: { show: { '/operation': ['identify'] } },
				description: 'Comma-separated attribute names treated as consent (cio_subscription_preferences.* always is)',
			},
			{
				displayName: 'Change Event Timestamp Field',
				name: 'changeTimestampField',
				type: 'string',
				default: '',
				placeholder: 'e.g. scoredAt',
				displayOptions: { show: { '/operation': ['identify'] } },
				description: 'Field with when the change happened. Empty: change events are stamped when received, and a repeat of the same change is recognised within the same day (UTC).',
			},
			{
				displayName: 'Deduplicate Events',
				name: 'deduplicate',
				type: 'boolean',
				default: true,
				displayOptions: { show: { '/operation': ['identify', 'track', 'trackAnonymous'] } },
				description: 'Whether events carry a stable ID that Customer.io uses to drop repeats (turn off only to send deliberate duplicates)',
			},
			...valueOptions(['identify', 'track', 'trackAnonymous']),
			...runOptions(['identify', 'track', 'trackAnonymous', 'merge', 'suppress', 'unsuppress', 'delete']),
		]),
	},
];
