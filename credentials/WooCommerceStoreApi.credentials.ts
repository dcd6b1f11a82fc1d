import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * WooCommerce REST API keys (WooCommerce › Settings › Advanced › REST API) for the Commerce Trigger's
 * automatic webhook registration. Sent as HTTP Basic auth, which WooCommerce accepts over HTTPS.
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-https
 */
export class WooCommerceStoreApi implements ICredentialType {
	name = 'wooCommerceStoreApi';

	displayName = 'WooCommerce (Commerce Retention) API';

	icon: Icon = { light: 'file:../nodes/CommerceTrigger/commerceTrigger.svg', dark: 'file:../nodes/CommerceTrigger/commerceTrigger.dark.svg' };

	documentationUrl = 'https://github.com/commerce-retention/n8n-nodes-commerce-retention/blob/main/docs/nodes/CommerceTrigger.md#woocommerce';

	properties: INodeProperties[] = [
		{
			displayName: 'Store URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://shop.example.com',
			description: 'The address of your WordPress site (without /wp-json)',
		},
		{
			displayName: 'Consumer Key',
			name: 'consumerKey',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'ck_...',
			description: 'A REST API key with Read/Write permission (needed to create and delete webhooks)',
		},
		{
			displayName: 'Consumer Secret',
			name: 'consumerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'cs_...',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.consumerKey}}',
				password: '={{$credentials.consumerSecret}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: "={{ $credentials.url.trim().replace(/\\/+$/, '') }}/wp-json/wc/v3",
			url: '/webhooks',
			qs: { per_page: 1 },
			method: 'GET',
		},
	};
}
