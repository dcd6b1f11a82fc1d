import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { DATA_CENTRES } from '../core/zoho/dataCentres';

const accountsByKey = JSON.stringify(Object.fromEntries(Object.entries(DATA_CENTRES).map(([key, dc]) => [key, dc.accountsUrl])));
const apiDomainByKey = JSON.stringify(Object.fromEntries(Object.entries(DATA_CENTRES).map(([key, dc]) => [key, dc.apiDomain])));

/** The accounts server of the chosen data centre, or the custom URL (trailing slash removed). */
const accountsExpression = (self: string) =>
	`(${self}.dataCenter === 'custom' ? String(${self}.customAccountsUrl || '').replace(/\\/+$/, '') : (${accountsByKey})[${self}.dataCenter || 'us'])`;

/**
 * OAuth2 for Zoho CRM in every Zoho data centre (n8n's built-in Zoho credential lacks JP, CA, SA and UK),
 * plus "Custom" for proxies and test servers. The token response's `api_domain` (stored by n8n in
 * `oauthTokenData`) decides where API calls go; the data centre's default is the fallback.
 *
 * Data centres and accounts servers: https://www.zoho.com/accounts/protocol/oauth/multi-dc.html
 * Authorization request (access_type=offline for a refresh token, prompt=consent so Zoho issues one
 * again when the credential is reconnected): https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html
 * Scopes: https://www.zoho.com/crm/developer/docs/api/v8/scopes.html
 *
 * n8n signs calls as `Authorization: Bearer <token>`, which Zoho accepts like `Zoho-oauthtoken <token>`
 * (https://www.zoho.com/accounts/protocol/oauth/use-access-token.html), and refreshes the token once
 * when a call answers 401.
 */
export class ZohoCrmRetentionOAuth2Api implements ICredentialType {
	name = 'zohoCrmRetentionOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Zoho CRM (Commerce Retention) OAuth2 API';

	icon: Icon = { light: 'file:../nodes/ZohoCrmUpsert/zohoCrmUpsert.svg', dark: 'file:../nodes/ZohoCrmUpsert/zohoCrmUpsert.dark.svg' };

	documentationUrl = 'https://github.com/commerce-retention/n8n-nodes-commerce-retention/blob/main/docs/nodes/ZohoCrmUpsert.md#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Data Centre',
			name: 'dataCenter',
			type: 'options',
			options: [
				...Object.entries(DATA_CENTRES).map(([value, dc]) => ({ name: dc.label, value, description: `Accounts ${dc.accountsUrl}, API ${dc.apiDomain}` })),
				{ name: 'Custom (Proxy or Test Server)', value: 'custom', description: 'Enter the accounts URL yourself' },
			],
			default: 'us',
			description:
				'Where your Zoho account lives: the domain you sign in to Zoho CRM on (crm.zoho.eu means Europe, crm.zoho.com.au Australia, crm.zohocloud.ca Canada). In the Zoho API Console, enable this data centre for your client under Settings › Multi-DC.',
		},
		{
			displayName: 'Custom Accounts URL',
			name: 'customAccountsUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://127.0.0.1:8787',
			description: 'Base URL of the Zoho accounts (OAuth) server: the node sends the user to <URL>/oauth/v2/auth and fetches tokens from <URL>/oauth/v2/token',
			displayOptions: { show: { dataCenter: ['custom'] } },
		},
		{
			displayName: 'Custom API Domain',
			name: 'customApiDomain',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787',
			description: 'Where API calls go when the token response carries no api_domain. Leave empty to use the accounts URL.',
			displayOptions: { show: { dataCenter: ['custom'] } },
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${accountsExpression('$self')} + '/oauth/v2/auth' }}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${accountsExpression('$self')} + '/oauth/v2/token' }}`,
		},
		{
			// Records (read, write, search, COQL) and the module and field lists for the canvas dropdowns.
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'ZohoCRM.modules.ALL,ZohoCRM.settings.modules.READ,ZohoCRM.settings.fields.READ,ZohoCRM.coql.READ',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'access_type=offline&prompt=consent',
		},
		{
			// Zoho expects client_id and client_secret in the token request body.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.oauthTokenData && $credentials.oauthTokenData.api_domain ? $credentials.oauthTokenData.api_domain : ($credentials.dataCenter === 'custom' ? ($credentials.customApiDomain || $credentials.customAccountsUrl) : (${apiDomainByKey})[$credentials.dataCenter || 'us']) }}`,
			url: '/crm/v8/settings/modules',
			method: 'GET',
		},
	};
}
