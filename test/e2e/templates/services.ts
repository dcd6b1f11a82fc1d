/**
 * The outside world of the templates' e2e run: the Zoho CRM, Customer.io and store contract servers on
 * 127.0.0.1, and the n8n credentials (in `n8n import:credentials` format, plain `data`) that point the
 * templates' credential references (fixed ids, see test/unit/templates/validateTemplate.ts) at them.
 */
import { startCustomerIoServer, DEFAULT_CREDENTIALS as CIO, type CustomerIoContractServer } from '../../contract/customerio/server';
import { startStoreServer, DEFAULT_STORE_CREDENTIALS as STORE, type StoreContractServer } from '../../contract/stores/server';
import { startZohoServer, DEFAULT_CREDENTIALS as ZOHO, type ZohoContractServer } from '../../contract/zoho/server';
import { TEMPLATE_CREDENTIALS } from '../../unit/templates/validateTemplate';

export interface Services {
	zoho: ZohoContractServer;
	customerIo: CustomerIoContractServer;
	store: StoreContractServer;
	close: () => Promise<void>;
}

export async function startServices(): Promise<Services> {
	const zoho = await startZohoServer({ quiet: true });
	const customerIo = await startCustomerIoServer();
	const store = await startStoreServer();
	return {
		zoho,
		customerIo,
		store,
		close: async () => {
			await Promise.all([zoho.close(), customerIo.close(), store.close()]);
		},
	};
}

/** The four credentials the templates reference, as an operator would fill them in, aimed at the contract servers. */
export function templateCredentials(services: Services): unknown[] {
	const zohoUrl = services.zoho.url;
	return [
		{
			...TEMPLATE_CREDENTIALS.zohoCrmRetentionOAuth2Api,
			type: 'zohoCrmRetentionOAuth2Api',
			data: {
				dataCenter: 'custom',
				customAccountsUrl: zohoUrl,
				customApiDomain: zohoUrl,
				clientId: ZOHO.clientId,
				clientSecret: ZOHO.clientSecret,
				grantType: 'authorizationCode',
				authUrl: `${zohoUrl}/oauth/v2/auth`,
				accessTokenUrl: `${zohoUrl}/oauth/v2/token`,
				scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.modules.READ,ZohoCRM.settings.fields.READ,ZohoCRM.coql.READ',
				authQueryParameters: 'access_type=offline&prompt=consent',
				authentication: 'body',
				oauthTokenData: { access_token: ZOHO.accessToken, refresh_token: ZOHO.refreshToken, api_domain: zohoUrl, token_type: 'Bearer', expires_in: 3600 },
			},
		},
		{
			...TEMPLATE_CREDENTIALS.customerIoTrackApi,
			type: 'customerIoTrackApi',
			data: { siteId: CIO.siteId, apiKey: CIO.apiKey, region: 'custom', customUrl: services.customerIo.url },
		},
		{
			...TEMPLATE_CREDENTIALS.shopifyCommerceApi,
			type: 'shopifyCommerceApi',
			data: { shopUrl: services.store.url, accessToken: STORE.shopifyAccessToken, apiVersion: '2025-07', clientSecret: STORE.shopifyClientSecret },
		},
		{
			...TEMPLATE_CREDENTIALS.wooCommerceStoreApi,
			type: 'wooCommerceStoreApi',
			data: { url: services.store.url, consumerKey: STORE.wooConsumerKey, consumerSecret: STORE.wooConsumerSecret },
		},
	];
}
