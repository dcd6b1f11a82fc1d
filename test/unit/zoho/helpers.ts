import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { ZohoHttpOutcome, ZohoTransport } from '../../../core/zoho/types';
import { ZohoCrmUpsert } from '../../../nodes/ZohoCrmUpsert/ZohoCrmUpsert.node';
import type { ZohoContractServer } from '../../contract/zoho/server';
import { DEFAULT_CREDENTIALS } from '../../contract/zoho/server';
import type { HarnessOptions, HarnessResult } from '../../helpers/nodeHarness';
import { runNode } from '../../helpers/nodeHarness';

/** A ZohoTransport over fetch, for testing the core client directly against the contract server. */
export function fetchTransport(apiDomain: string, accessToken = DEFAULT_CREDENTIALS.accessToken): ZohoTransport {
	return async (request): Promise<ZohoHttpOutcome> => {
		const url = new URL(apiDomain + request.path);
		for (const [k, v] of Object.entries(request.qs ?? {})) url.searchParams.set(k, String(v));
		try {
			const response = await fetch(url, {
				method: request.method,
				headers: { ...(request.headers ?? {}), Authorization: `Zoho-oauthtoken ${accessToken}`, 'content-type': 'application/json' },
				body: request.body === undefined ? undefined : JSON.stringify(request.body),
			});
			const text = await response.text();
			const headers: Record<string, unknown> = {};
			response.headers.forEach((v, k) => (headers[k] = v));
			return { kind: 'response', status: response.status, body: text ? JSON.parse(text) : null, headers };
		} catch (error) {
			const cause = (error as { cause?: { code?: string; message?: string } }).cause;
			return { kind: 'network', code: cause?.code ?? 'ECONNRESET', message: cause?.message ?? String(error) };
		}
	};
}

export const instantSleep = async (): Promise<void> => {};

export const CREDENTIAL_TYPE = 'zohoCrmRetentionOAuth2Api';

/** The credential as n8n holds it after connecting (custom data centre pointing at the contract server). */
export function zohoCredentials(server: ZohoContractServer, tokenData: IDataObject = {}): Record<string, ICredentialDataDecryptedObject> {
	return {
		[CREDENTIAL_TYPE]: {
			dataCenter: 'custom',
			customAccountsUrl: server.url,
			customApiDomain: '',
			clientId: DEFAULT_CREDENTIALS.clientId,
			clientSecret: DEFAULT_CREDENTIALS.clientSecret,
			accessTokenUrl: `${server.url}/oauth/v2/token`,
			authUrl: `${server.url}/oauth/v2/auth`,
			authentication: 'body',
			grantType: 'authorizationCode',
			oauthTokenData: { access_token: DEFAULT_CREDENTIALS.accessToken, refresh_token: DEFAULT_CREDENTIALS.refreshToken, api_domain: server.url, token_type: 'Bearer', expires_in: 3600, ...tokenData },
		},
	};
}

/** Fast retries for tests (the backoff logic itself is unit-tested in core). */
export const FAST = { retryDelayMs: 2, maxRetries: 10 };

export async function runZoho(
	server: ZohoContractServer,
	parameters: Record<string, unknown>,
	items: IDataObject[],
	extra: Partial<HarnessOptions> = {},
): Promise<HarnessResult> {
	return await runNode(new ZohoCrmUpsert(), {
		parameters,
		items,
		credentials: extra.credentials ?? zohoCredentials(server),
		oauth2CredentialTypes: [CREDENTIAL_TYPE],
		...extra,
	});
}

/** A canonical Order (core/model/types.ts) with sensible values. */
export function order(n: number, overrides: IDataObject = {}, customer: IDataObject = {}): IDataObject {
	return {
		id: `ord-${n}`,
		number: `#${1000 + n}`,
		source: 'shopify',
		createdAt: new Date(Date.UTC(2024, 0, 1, 12, 0, 0) + n * 60_000).toISOString(),
		updatedAt: null,
		status: 'paid',
		financialStatus: 'paid',
		currency: 'EUR',
		total: 10 + n,
		subtotal: null,
		tax: null,
		discount: null,
		shipping: null,
		refundedTotal: 0,
		customer: { id: `cust-${n}`, email: `customer${n}@example.com`, emailInvalid: null, firstName: `First${n}`, lastName: `Last${n}`, phone: null, company: null, taxId: null, consent: { emailMarketing: null, smsMarketing: null }, createdAt: null, updatedAt: null, ordersCount: null, totalSpent: null, tags: [], ...customer },
		billingAddress: { company: null, firstName: null, lastName: null, line1: `${n} Main St`, line2: null, city: 'Berlin', region: null, postalCode: '10115', country: 'DE', phone: null },
		shippingAddress: null,
		lineItems: [{ id: 'li1', sku: 'SKU-1', name: 'Widget', quantity: 1, price: 10 + n, total: 10 + n, category: null, productId: null, variantId: null }],
		coupons: [],
		utm: { source: null, medium: null, campaign: null, term: null, content: null },
		landingPage: null,
		referrer: null,
		cartId: null,
		...overrides,
	};
}

export function cart(n: number, overrides: IDataObject = {}): IDataObject {
	return {
		id: `cart-${n}`,
		source: 'shopify',
		email: `shopper${n}@example.com`,
		emailInvalid: null,
		phone: null,
		customer: { firstName: `Shopper${n}`, lastName: null },
		currency: 'EUR',
		total: 50 + n,
		lineItems: [],
		createdAt: '2024-02-01T10:00:00.000Z',
		updatedAt: '2024-02-01T10:05:00.000Z',
		completedAt: null,
		recoveryUrl: `https://shop.example.com/cart/recover/${n}`,
		utm: { source: null, medium: null, campaign: null, term: null, content: null },
		landingPage: null,
		...overrides,
	};
}
