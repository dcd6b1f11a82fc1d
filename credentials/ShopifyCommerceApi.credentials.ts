import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A Shopify custom app (Admin API access token) for the Commerce Trigger's automatic webhook
 * registration, plus the app's client secret that Shopify signs webhook deliveries with.
 * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin
 */
export class ShopifyCommerceApi implements ICredentialType {
	name = 'shopifyCommerceApi';

	displayName = 'Shopify (Commerce Retention) API';

	icon: Icon = { light: 'file:../nodes/CommerceTrigger/commerceTrigger.svg', dark: 'file:../nodes/CommerceTrigger/commerceTrigger.dark.svg' };

	documentationUrl = 'https://github.com/commerce-retention/n8n-nodes-commerce-retention/blob/main/docs/nodes/CommerceTrigger.md#shopify';

	properties: INodeProperties[] = [
		{
			displayName: 'Shop',
			name: 'shopUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'my-store or my-store.myshopify.com',
			description:
				'Your shop\'s myshopify.com name ("my-store"), its myshopify.com domain, or a full base URL such as https://my-store.myshopify.com',
		},
		{
			displayName: 'Admin API Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'shpat_...',
			description:
				'The Admin API access token of your custom app (Settings › Apps › Develop apps › API credentials). It needs the read_orders, read_customers and (for carts) read_checkouts scopes.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '2025-07',
			required: true,
			description: 'The Admin API version, e.g. 2025-07. Deliveries arrive in this version\'s payload format.',
		},
		{
			displayName: 'App Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The client secret (API secret key) of the same app. Shopify signs every webhook delivery with it, and the trigger rejects deliveries whose signature does not match.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-Shopify-Access-Token': '={{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				"={{ $credentials.shopUrl.trim().startsWith('http') ? $credentials.shopUrl.trim().split('/admin')[0].replace(/\\/$/, '') : 'https://' + $credentials.shopUrl.trim().replace(/\\/$/, '').split('.myshopify.com')[0] + '.myshopify.com' }}",
			url: '=/admin/api/{{$credentials.apiVersion.trim()}}/shop.json',
			method: 'GET',
		},
	};
}
