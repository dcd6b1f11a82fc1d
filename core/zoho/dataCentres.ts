/**
 * Zoho data centres: where the OAuth server (accounts) and the API (api domain) live for each region.
 * Accounts URLs: https://www.zoho.com/accounts/protocol/oauth/multi-dc.html
 * API domains: https://www.zoho.com/crm/developer/docs/api/v8/multi-dc.html (and Bigin's multi-DC table).
 * The token response carries `api_domain`; that value wins over the defaults below.
 */

export interface DataCentre {
	label: string;
	accountsUrl: string;
	apiDomain: string;
}

export const DATA_CENTRES = {
	us: { label: 'United States (zoho.com)', accountsUrl: 'https://accounts.zoho.com', apiDomain: 'https://www.zohoapis.com' },
	eu: { label: 'Europe (zoho.eu)', accountsUrl: 'https://accounts.zoho.eu', apiDomain: 'https://www.zohoapis.eu' },
	in: { label: 'India (zoho.in)', accountsUrl: 'https://accounts.zoho.in', apiDomain: 'https://www.zohoapis.in' },
	au: { label: 'Australia (zoho.com.au)', accountsUrl: 'https://accounts.zoho.com.au', apiDomain: 'https://www.zohoapis.com.au' },
	cn: { label: 'China (zoho.com.cn)', accountsUrl: 'https://accounts.zoho.com.cn', apiDomain: 'https://www.zohoapis.com.cn' },
	jp: { label: 'Japan (zoho.jp)', accountsUrl: 'https://accounts.zoho.jp', apiDomain: 'https://www.zohoapis.jp' },
	ca: { label: 'Canada (zohocloud.ca)', accountsUrl: 'https://accounts.zohocloud.ca', apiDomain: 'https://www.zohoapis.ca' },
	sa: { label: 'Saudi Arabia (zoho.sa)', accountsUrl: 'https://accounts.zoho.sa', apiDomain: 'https://www.zohoapis.sa' },
	uk: { label: 'United Kingdom (zoho.uk)', accountsUrl: 'https://accounts.zoho.uk', apiDomain: 'https://www.zohoapis.uk' },
} as const satisfies Record<string, DataCentre>;

export type DataCentreKey = keyof typeof DATA_CENTRES | 'custom';

export interface ZohoConnectionSettings {
	dataCenter?: unknown;
	customAccountsUrl?: unknown;
	customApiDomain?: unknown;
	oauthTokenData?: unknown;
}

function trimUrl(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const text = value.trim().replace(/\/+$/, '');
	return /^https?:\/\/[^\s/]+/i.test(text) ? text : null;
}

/**
 * The base URL API calls go to: the `api_domain` of the stored token response, else the custom
 * API domain (data centre "Custom"), else the data centre's default. Throws when none is usable.
 */
export function resolveApiDomain(settings: ZohoConnectionSettings): string {
	const tokenData = settings.oauthTokenData as { api_domain?: unknown } | undefined;
	const fromToken = trimUrl(tokenData?.api_domain);
	if (fromToken) return fromToken;
	const key = typeof settings.dataCenter === 'string' ? settings.dataCenter : 'us';
	if (key === 'custom') {
		const custom = trimUrl(settings.customApiDomain) ?? trimUrl(settings.customAccountsUrl);
		if (custom) return custom;
		throw new Error('The credential uses data centre "Custom" but has no usable API Domain or Accounts URL — fill in "Custom API Domain" (e.g. http://127.0.0.1:8080)');
	}
	const dc = (DATA_CENTRES as Record<string, DataCentre>)[key];
	if (!dc) throw new Error(`Unknown Zoho data centre "${key}" in the credential — pick one of ${Object.keys(DATA_CENTRES).join(', ')} or Custom`);
	return dc.apiDomain;
}

/** The accounts (OAuth) server for a data centre, used to build the credential's token URLs. */
export function accountsUrlFor(key: string, customAccountsUrl?: string): string {
	if (key === 'custom') {
		const custom = trimUrl(customAccountsUrl);
		if (!custom) throw new Error('Data centre "Custom" needs an Accounts URL');
		return custom;
	}
	const dc = (DATA_CENTRES as Record<string, DataCentre>)[key];
	if (!dc) throw new Error(`Unknown Zoho data centre "${key}"`);
	return dc.accountsUrl;
}
