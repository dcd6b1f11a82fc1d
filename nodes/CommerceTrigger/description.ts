import type { INodeProperties } from 'n8n-workflow';

import { SELECTABLE_EVENTS } from '../../core/trigger/events';

/** The node's parameters. Names are part of the templates' contract: change them only with the templates. */
export const commerceTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Shopify', value: 'shopify', description: 'Shopify webhooks, signed with X-Shopify-Hmac-Sha256' },
			{ name: 'WooCommerce', value: 'woocommerce', description: 'WooCommerce webhooks, signed with X-WC-Webhook-Signature' },
			{ name: 'Zoho Commerce', value: 'zohoCommerce', description: 'Zoho Commerce webhooks, checked by a secret token in the URL' },
			{ name: 'Custom', value: 'custom', description: 'Any system that can POST JSON, signed with a header you configure' },
		],
		default: 'shopify',
		description: 'The store that sends the events',
	},
	{
		displayName: 'Registration',
		name: 'registration',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { source: ['shopify', 'woocommerce'] } },
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description: 'Activating the workflow creates the webhooks in the store; deactivating removes them',
			},
			{
				name: 'Manual',
				value: 'manual',
				description: 'You create the webhooks in the store yourself, with this node\'s URL and a secret',
			},
		],
		default: 'automatic',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: SELECTABLE_EVENTS.map(({ name, value, description }) => ({ name, value, description })),
		default: ['order.created'],
		required: true,
		description:
			'Events that start the workflow. Deliveries of other topics are acknowledged (HTTP 200) and start nothing.',
	},
	{
		displayName:
			'WooCommerce has no cart webhooks: "Cart Created/Updated" never fire, and "Cart Abandoned" uses orders left in Pending payment or Draft status. Zoho Commerce sends no cart or customer events.',
		name: 'sourceLimitsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['woocommerce', 'zohoCommerce'] } },
	},

	// Secrets for manual registration and for the sources that are always manual.
	{
		displayName: 'Webhook Secret',
		name: 'webhookSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		displayOptions: { show: { source: ['shopify', 'woocommerce'], registration: ['manual'] } },
		description:
			'The secret the store signs deliveries with. Shopify: the signing key shown under Settings › Notifications › Webhooks (or your app\'s client secret). WooCommerce: the "Secret" you entered for the webhook.',
	},
	{
		displayName: 'Verification',
		name: 'customVerification',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { source: ['custom'] } },
		options: [
			{ name: 'HMAC Signature Header', value: 'hmac', description: 'The sender signs the raw body with a shared secret' },
			{ name: 'Secret Token in URL', value: 'token', description: 'The sender adds ?token= and the secret to this node\'s URL' },
		],
		default: 'hmac',
	},
	{
		displayName: 'Signing Secret',
		name: 'webhookSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		displayOptions: { show: { source: ['custom'], customVerification: ['hmac'] } },
		description: 'The shared secret the sender signs the raw request body with',
	},
	{
		displayName: 'Secret Token',
		name: 'secretToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		displayOptions: { show: { source: ['zohoCommerce'] } },
		description:
			'A long random text. In Zoho Commerce (Settings › Developer Data › Webhooks) use this node\'s production URL followed by ?token= and this secret. Zoho Commerce does not sign deliveries, so this token is what keeps strangers out.',
	},
	{
		displayName: 'Secret Token',
		name: 'secretToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		displayOptions: { show: { source: ['custom'], customVerification: ['token'] } },
		description: 'A long random text the sender appends to this node\'s URL as ?token= followed by the secret',
	},
	{
		displayName: 'Signature Header',
		name: 'signatureHeader',
		type: 'string',
		default: 'X-Signature',
		displayOptions: { show: { source: ['custom'], customVerification: ['hmac'] } },
		description: 'The request header that carries the signature',
	},
	{
		displayName: 'Signature Algorithm',
		name: 'signatureAlgorithm',
		type: 'options',
		options: [
			{ name: 'HMAC-SHA256', value: 'sha256' },
			{ name: 'HMAC-SHA1', value: 'sha1' },
			{ name: 'HMAC-SHA512', value: 'sha512' },
		],
		default: 'sha256',
		displayOptions: { show: { source: ['custom'], customVerification: ['hmac'] } },
	},
	{
		displayName: 'Signature Encoding',
		name: 'signatureEncoding',
		type: 'options',
		options: [
			{ name: 'Base64', value: 'base64' },
			{ name: 'Hex', value: 'hex' },
		],
		default: 'hex',
		displayOptions: { show: { source: ['custom'], customVerification: ['hmac'] } },
	},
	{
		displayName: 'Signature Prefix',
		name: 'signaturePrefix',
		type: 'string',
		default: '',
		placeholder: 'sha256=',
		displayOptions: { show: { source: ['custom'], customVerification: ['hmac'] } },
		description: 'Text before the digest in the header, if any (for example "sha256=")',
	},
	{
		displayName: 'Topic Header',
		name: 'topicHeader',
		type: 'string',
		default: 'X-Commerce-Topic',
		displayOptions: { show: { source: ['custom'] } },
		description:
			'The header naming the event (order.created, cart.updated, …). Without it the body\'s "type" field is used.',
	},
	{
		displayName: 'Event ID Header',
		name: 'eventIdHeader',
		type: 'string',
		default: 'X-Commerce-Event-Id',
		displayOptions: { show: { source: ['custom'] } },
		description:
			'The header with a unique ID per event, used to drop repeated deliveries. Without it a hash of the body is used.',
	},

	// Abandoned carts.
	{
		displayName:
			'Abandoned carts are reported when this trigger receives any request after a cart\'s silence exceeds the threshold. For timely reports, send a check request every minute: POST to this node\'s production URL with ?check=abandoned-carts (e.g. a Schedule Trigger and an HTTP Request node). See the docs.',
		name: 'abandonmentNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { events: ['cart.abandoned'] } },
	},
	{
		displayName: 'Abandon After (Minutes)',
		name: 'abandonAfterMinutes',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 2 },
		default: 60,
		displayOptions: { show: { events: ['cart.abandoned'] } },
		description: 'How long a cart must stay unchanged and unpaid before it counts as abandoned',
	},
	{
		displayName: 'Contact Required',
		name: 'abandonmentContact',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: 'Report only carts with a valid email' },
			{ name: 'Email or Phone', value: 'emailOrPhone', description: 'Also report carts with only a phone number' },
		],
		default: 'email',
		displayOptions: { show: { events: ['cart.abandoned'] } },
	},
	{
		displayName: 'Check Token',
		name: 'checkToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: { show: { events: ['cart.abandoned'] } },
		description:
			'Optional. When set, check requests must carry it as ?checkToken= followed by the token. A check request can only report carts that are already due, never invent one.',
	},

	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Decimal Separator',
				name: 'decimalSeparator',
				type: 'options',
				options: [
					{ name: 'Detect', value: '' },
					{ name: 'Point (1,234.50)', value: '.' },
					{ name: 'Comma (1.234,50)', value: ',' },
				],
				default: '',
				description: 'How the store writes amounts given as text',
			},
			{
				displayName: 'Duplicate Memory (Deliveries)',
				name: 'dedupeMaxEntries',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: 10000,
				description: 'How many delivery IDs to remember for dropping repeated deliveries',
			},
			{
				displayName: 'Duplicate Memory (Hours)',
				name: 'dedupeHours',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 24,
				description: 'How long to remember a delivery ID. Shopify retries for up to 4 hours.',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: true,
				description:
					'Whether to keep the store\'s original payload under "raw" on the order/cart/customer (for fields the canonical model does not map)',
			},
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 2048,
				description: 'Larger deliveries are refused with HTTP 413',
			},
			{
				displayName: 'Max Open Carts',
				name: 'maxOpenCarts',
				type: 'number',
				typeOptions: { minValue: 10 },
				default: 1000,
				description: 'How many unfinished carts to track for abandonment at once',
			},
			{
				displayName: 'Store Time Zone',
				name: 'zone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'Zone for store timestamps written without an offset. Empty: UTC.',
			},
		],
	},
];
