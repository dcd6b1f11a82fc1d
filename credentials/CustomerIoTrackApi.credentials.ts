import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { TRACK_HOSTS } from '../core/customerio/limits';

/**
 * Customer.io Track API keys (Customer.io › Settings › Workspace Settings › API and webhook credentials
 * › Track API Keys). The Track API uses HTTP Basic auth with the Site ID as user name and the API key as
 * password, on https://track.customer.io (US) or https://track-eu.customer.io (EU)
 * — https://docs.customer.io/api/track/#section/Overview ("Authentication", "Server addresses").
 * "Custom URL" is for proxies and the contract server the tests start on 127.0.0.1.
 */
export class CustomerIoTrackApi implements ICredentialType {
	name = 'customerIoTrackApi';

	displayName = 'Customer.io Track API';

	icon: Icon = { light: 'file:../nodes/CustomerIoTrack/customerIoTrack.svg', dark: 'file:../nodes/CustomerIoTrack/customerIoTrack.dark.svg' };

	documentationUrl = 'https://github.com/commerce-retention/n8n-nodes-commerce-retention/blob/main/docs/nodes/CustomerIoTrack.md#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Site ID',
			name: 'siteId',
			type: 'string',
			default: '',
			required: true,
			description: 'The Site ID of a Track API key, under Workspace Settings › API and webhook credentials in Customer.io',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Track API key that goes with the Site ID (not an App API key)',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'United States', value: 'us', description: TRACK_HOSTS.us },
				{ name: 'European Union', value: 'eu', description: TRACK_HOSTS.eu },
				{ name: 'Custom URL (Proxy or Test Server)', value: 'custom', description: 'Enter the base URL yourself' },
			],
			default: 'us',
			description: "Where your Customer.io account's data lives (Account Settings › Privacy shows the region). Data sent to the wrong region is refused or routed through the US.",
		},
		{
			displayName: 'Custom URL',
			name: 'customUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://127.0.0.1:8788',
			description: 'Base URL that stands in for https://track.customer.io (no trailing /api)',
			displayOptions: { show: { region: ['custom'] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.siteId}}',
				password: '={{$credentials.apiKey}}',
			},
		},
	};

	// GET /api/v1/accounts/region answers 200 for valid Track API credentials and 401 otherwise
	// (https://docs.customer.io/api/track/#operation/getRegion).
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.region === 'custom' ? String($credentials.customUrl || '').trim().replace(/\\/+$/, '') : ($credentials.region === 'eu' ? '${TRACK_HOSTS.eu}' : '${TRACK_HOSTS.us}') }}`,
			url: '/api/v1/accounts/region',
			method: 'GET',
		},
	};
}
