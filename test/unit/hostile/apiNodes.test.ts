/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- made-up credential values of local contract servers, there to be searched for in outputs */
/**
 * Hostile input through the two nodes that call vendor APIs, against their contract servers
 * (test/contract/zoho, test/contract/customerio): every operation that takes items, with and without
 * Continue On Fail, sometimes with a fault storm or a refused credential. Checked after every run: the
 * invariants of ./invariants.ts, and that no credential value (client secret, access or refresh token,
 * API key, or their Basic-auth / URL forms) appears in any output item, error item, error message or
 * log line. Dry runs send nothing: the server's call log stays empty.
 */
import fc from 'fast-check';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INodeType } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CustomerIoTrack } from '../../../nodes/CustomerIoTrack/CustomerIoTrack.node';
import { ZohoCrmUpsert } from '../../../nodes/ZohoCrmUpsert/ZohoCrmUpsert.node';
import type { CustomerIoContractServer } from '../../contract/customerio/server';
import { startCustomerIoServer } from '../../contract/customerio/server';
import type { ZohoContractServer } from '../../contract/zoho/server';
import { startZohoServer } from '../../contract/zoho/server';
import type { Authenticator, HarnessResult } from '../../helpers/nodeHarness';
import { runNode } from '../../helpers/nodeHarness';
import type { JsonObject } from './arbitraries';
import { canonicalCart, canonicalOrder, hostileItems, rfmCustomer, triggerEvent } from './arbitraries';
import type { Accounting } from './invariants';
import { expectAccounted, expectClean, expectItemError, expectNoPollution, expectNoSecrets, runs, visibleText } from './invariants';

// Credential values distinctive enough that no generated input contains them by chance.
const ZOHO = {
	clientId: '1000.HOSTILECLIENT',
	clientSecret: 'zoho-client-secret-7f3a9c2e51d8',
	accessToken: '1000.zoho-access-token-b41e6d0c93a7',
	refreshToken: '1000.zoho-refresh-token-2c8f5a1e7b90',
	wrongRefreshToken: '1000.zoho-stale-refresh-token-9e0d4b7a2f16',
};
const CIO = { siteId: 'site-hostile-4b1f92', apiKey: 'cio-track-api-key-e27c0d8b5f43', wrongApiKey: 'cio-revoked-api-key-58a1c9e3d7b2' };

const ZOHO_SECRETS = [ZOHO.clientSecret, ZOHO.accessToken, ZOHO.refreshToken, ZOHO.wrongRefreshToken];
const CIO_SECRETS = [CIO.apiKey, CIO.wrongApiKey, `${CIO.siteId}:${CIO.apiKey}`, `${CIO.siteId}:${CIO.wrongApiKey}`];

let zoho: ZohoContractServer;
let cio: CustomerIoContractServer;

beforeAll(async () => {
	zoho = await startZohoServer({ clientId: ZOHO.clientId, clientSecret: ZOHO.clientSecret, accessToken: ZOHO.accessToken, refreshToken: ZOHO.refreshToken, quiet: true });
	cio = await startCustomerIoServer({ siteId: CIO.siteId, apiKey: CIO.apiKey });
});
afterAll(async () => {
	await zoho.close();
	await cio.close();
});

/** How the run meets the vendor: normally, through a 30% fault storm, or with a credential it refuses. */
type Weather = 'calm' | 'storm' | 'refused';
const weather = fc.constantFrom<Weather>('calm', 'calm', 'storm', 'refused');

interface Run {
	node: INodeType;
	items: JsonObject[];
	parameters: Record<string, unknown>;
	continueOnFail: boolean;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	oauth2?: string[];
	authenticate?: Authenticator;
	secrets: string[];
	dryRun: boolean;
	callCount: () => number;
}

/**
 * Runs the node and checks the invariants. Throwing is allowed only without Continue On Fail, as an
 * n8n error naming an item, or — for a refused credential — as the documented run-level NodeApiError.
 */
async function checkApiRun(run: Run): Promise<HarnessResult | null> {
	const log: IHttpRequestOptions[] = [];
	let result: HarnessResult | null = null;
	let error: unknown = null;
	try {
		result = await runNode(run.node, {
			parameters: run.parameters,
			items: run.items as IDataObject[],
			credentials: run.credentials,
			continueOnFail: run.continueOnFail,
			oauth2CredentialTypes: run.oauth2,
			authenticate: run.authenticate,
			requestLog: log,
		});
	} catch (caught) {
		error = caught;
	}
	expectNoPollution();
	expectNoSecrets(visibleText(result?.outputs, error), run.secrets);
	if (run.dryRun) expect(run.callCount()).toBe(0);
	if (error !== null) {
		if (run.continueOnFail) throw new Error(`Under Continue On Fail the node threw: ${(error as Error).message}`);
		const runLevel = error instanceof NodeApiError && /refused|reconnect|credential|401|OAuth token/i.test(`${error.message} ${error.description ?? ''}`);
		if (!runLevel) expectItemError(error, run.items.length);
		if (!(error instanceof NodeApiError || error instanceof NodeOperationError)) throw error;
		return null;
	}
	const accounting: Accounting = run.dryRun ? { mode: 'cover' } : { mode: 'exact' };
	expectAccounted(result!.outputs, run.items.length, accounting);
	result!.outputs.forEach((output, o) => output.forEach((item, i) => expectClean(item.json, `output ${o} item ${i}`)));
	return result;
}

// ---------------------------------------------------------------------------------------------------
// Zoho CRM Upsert

function zohoCredentials(refused: boolean): Record<string, ICredentialDataDecryptedObject> {
	return {
		zohoCrmRetentionOAuth2Api: {
			dataCenter: 'custom',
			customAccountsUrl: zoho.url,
			customApiDomain: '',
			clientId: ZOHO.clientId,
			clientSecret: ZOHO.clientSecret,
			accessTokenUrl: `${zoho.url}/oauth/v2/token`,
			authUrl: `${zoho.url}/oauth/v2/auth`,
			authentication: 'body',
			grantType: 'authorizationCode',
			oauthTokenData: {
				access_token: ZOHO.accessToken,
				refresh_token: refused ? ZOHO.wrongRefreshToken : ZOHO.refreshToken,
				api_domain: zoho.url,
				token_type: 'Bearer',
				expires_in: 3600,
			},
		},
	};
}

function prepareZoho(conditions: Weather): void {
	zoho.reset();
	if (conditions === 'storm') zoho.setFaults({ rate: 0.3, seed: 7, afterCommitShare: 0.5 });
	// An expired access token and a refresh token Zoho no longer knows: the refresh fails.
	if (conditions === 'refused') zoho.expireTokens();
}

const FAST = { retryDelayMs: 0, maxRetries: 4 };

/** What an operator maps into Zoho columns with expressions: values taken straight from the item. */
function columnsFrom(item: JsonObject): Record<string, unknown> {
	const customer = (item.customer ?? item.order ?? {}) as Record<string, unknown>;
	return {
		Email: item.email ?? customer.email ?? item.customerKey,
		Last_Name: customer.lastName ?? item.lastName ?? item.id,
		First_Name: customer.firstName,
		Phone: customer.phone ?? item.phone,
		Description: item.number ?? item.recoveryUrl,
		Mailing_City: item.billingAddress,
	};
}

const zohoOperations = fc.constantFrom(
	{ name: 'syncFromOrder', base: fc.oneof(canonicalOrder, triggerEvent), parameters: { resource: 'customer', operation: 'syncFromOrder', orderField: '', accountMatchBy: 'key', orderModule: 'Store_Orders', firstTouch: true } },
	{ name: 'abandonedCartToLead', base: fc.oneof(canonicalCart, triggerEvent), parameters: { resource: 'customer', operation: 'abandonedCartToLead', cartField: '' } },
	{ name: 'writeRfmFields', base: rfmCustomer, parameters: { resource: 'customer', operation: 'writeRfmFields', matchBy: 'email' } },
	{ name: 'stampFirstTouch', base: canonicalOrder, parameters: { resource: 'customer', operation: 'stampFirstTouch', orderField: '' } },
	{ name: 'upsert', base: fc.oneof(canonicalOrder, rfmCustomer, canonicalCart), parameters: { resource: 'record', operation: 'upsert', module: 'Contacts' } },
);

const zohoCase = zohoOperations.chain((operation) =>
	fc.record({
		operation: fc.constant(operation),
		items: hostileItems(operation.base, 6),
		continueOnFail: fc.boolean(),
		weather,
	}),
);

describe('hostile input: Zoho CRM Upsert', () => {
	it('every operation: each item on Success or Failed (or a clear error), no pollution, no secret anywhere', async () => {
		await fc.assert(
			fc.asyncProperty(zohoCase, async ({ operation, items, continueOnFail, weather: conditions }) => {
				prepareZoho(conditions);
				const parameters: Record<string, unknown> = { ...operation.parameters, options: { ...FAST } };
				if (operation.name === 'upsert') {
					parameters.columns = (i: number) => ({ mappingMode: 'defineBelow', value: columnsFrom(items[i]), matchingColumns: ['Email'], schema: [] });
				}
				await checkApiRun({
					node: new ZohoCrmUpsert(),
					items,
					parameters,
					continueOnFail,
					credentials: zohoCredentials(conditions === 'refused'),
					oauth2: ['zohoCrmRetentionOAuth2Api'],
					secrets: ZOHO_SECRETS,
					dryRun: false,
					callCount: () => zoho.callLog().calls.length,
				});
			}),
			runs(120),
		);
	});

	it('dry run: sends nothing (empty call log), covers every item, shows no token', async () => {
		await fc.assert(
			fc.asyncProperty(zohoCase, async ({ operation, items, continueOnFail }) => {
				zoho.reset();
				const parameters: Record<string, unknown> = { ...operation.parameters, options: { ...FAST, dryRun: true } };
				if (operation.name === 'upsert') {
					parameters.columns = (i: number) => ({ mappingMode: 'defineBelow', value: columnsFrom(items[i]), matchingColumns: ['Email'], schema: [] });
				}
				await checkApiRun({
					node: new ZohoCrmUpsert(),
					items,
					parameters,
					continueOnFail,
					credentials: zohoCredentials(false),
					oauth2: ['zohoCrmRetentionOAuth2Api'],
					secrets: ZOHO_SECRETS,
					dryRun: true,
					callCount: () => zoho.callLog().calls.length,
				});
			}),
			runs(100),
		);
	});
});

// ---------------------------------------------------------------------------------------------------
// Customer.io Track

function cioCredentials(refused: boolean): Record<string, ICredentialDataDecryptedObject> {
	return { customerIoTrackApi: { siteId: CIO.siteId, apiKey: refused ? CIO.wrongApiKey : CIO.apiKey, region: 'custom', customUrl: cio.url } };
}

/** The credential's `authenticate` block as n8n applies it: Basic auth with site id and API key. */
function basicAuth(_type: string, credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): IHttpRequestOptions {
	return { ...options, auth: { username: String(credentials.siteId), password: String(credentials.apiKey) } };
}

function prepareCio(conditions: Weather): void {
	cio.reset();
	if (conditions === 'storm') cio.setFaults({ rate: 0.3, seed: 11, afterAcceptShare: 0.5 });
}

/** The item shapes Customer.io Track reads, with the fields an operator would point it at. */
const cioShapes = fc.constantFrom(
	{ base: canonicalOrder, identifierField: 'customer.email', idField: 'customer.id', anonymousIdField: 'id' },
	{ base: canonicalCart, identifierField: 'email', idField: 'id', anonymousIdField: 'id' },
	{ base: rfmCustomer, identifierField: 'customerKey', idField: 'zohoContactId', anonymousIdField: 'customerKey' },
	{ base: triggerEvent, identifierField: 'order.customer.email', idField: 'eventId', anonymousIdField: 'eventId' },
);

const attributeMappings = fc.oneof(
	{ weight: 4, arbitrary: fc.constant({ attribute: [{ name: 'segment', field: 'segment' }, { name: 'total', field: 'total' }, { name: 'created_at', field: 'createdAt' }, { name: 'company', field: 'customer.company' }] }) },
	{ weight: 1, arbitrary: fc.constant({ attribute: [{ name: '__proto__', field: '__proto__' }, { name: 'constructor', field: 'constructor.prototype' }] }) },
);

function cioOperation(shape: { identifierField: string; idField: string; anonymousIdField: string }) {
	const identity = fc.oneof(
		{ weight: 3, arbitrary: fc.constant({ identifierType: 'email', identifierField: shape.identifierField }) },
		{ weight: 1, arbitrary: fc.constant({ identifierType: 'id', identifierField: shape.idField }) },
	);
	return fc.oneof(
		fc.tuple(identity, fc.record({
			resource: fc.constant('person'),
			operation: fc.constant('identify'),
			sendAllFields: fc.boolean(),
			attributes: attributeMappings,
			enumAttributes: fc.constantFrom({}, { enum: [{ attribute: 'segment', values: 'champions, at_risk, lost' }] }),
			changeEvents: fc.constantFrom({}, { change: [{ name: 'segment_changed', attribute: 'segment', previousField: 'previousSegment', currentField: 'segment' }] }),
		})),
		fc.tuple(identity, fc.record({
			resource: fc.constant('event'),
			operation: fc.constant('track'),
			eventName: fc.constantFrom('order_completed', '__custom'),
			customEventName: fc.constantFrom('winback_offer', 'winback_offer', 'winback_offer', 'constructor', '__proto__', 'order completed 💥', ''),
			sendAllFieldsAsData: fc.boolean(),
			eventData: fc.oneof(
				{ weight: 4, arbitrary: fc.constant({ property: [{ name: 'total', field: 'total' }] }) },
				{ weight: 1, arbitrary: fc.constant({ property: [{ name: 'prototype', field: 'constructor.prototype' }] }) },
			),
			timestampField: fc.constantFrom('', '', 'createdAt', 'receivedAt'),
			dedupeKeyFields: fc.constantFrom('', '', '', 'id', 'id,number', '__proto__'),
		})),
		fc.tuple(fc.constant({}), fc.record({
			resource: fc.constant('event'),
			operation: fc.constant('trackAnonymous'),
			anonymousIdField: fc.constantFrom(shape.anonymousIdField, shape.anonymousIdField, shape.anonymousIdField, '__proto__'),
			eventName: fc.constant('cart_abandoned'),
			sendAllFieldsAsData: fc.boolean(),
			timestampField: fc.constantFrom('', 'createdAt'),
			dedupeKeyFields: fc.constantFrom('', 'id'),
		})),
		fc.tuple(identity, fc.record({
			resource: fc.constant('person'),
			operation: fc.constantFrom('merge', 'suppress', 'unsuppress', 'delete'),
			secondaryIdentifierType: fc.constant('id'),
			secondaryIdentifierField: fc.constant(shape.idField),
		})),
	).map(([who, what]) => ({ ...who, ...what }) as Record<string, unknown>);
}

const cioCase = cioShapes.chain((shape) =>
	fc.record({
		parameters: cioOperation(shape),
		items: hostileItems(shape.base, 6),
		continueOnFail: fc.boolean(),
		weather,
		options: fc.record({ emptyValues: fc.constantFrom('skip', 'clear'), unknownEnumValues: fc.constantFrom('error', 'keep'), timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'Not/AZone') }),
	}),
);

const CIO_DEFAULTS = { attributes: {}, enumAttributes: {}, changeEvents: {}, eventData: {}, sendAllFields: false, sendAllFieldsAsData: false, timestampField: '', dedupeKeyFields: '' };

describe('hostile input: Customer.io Track', () => {
	it('every operation: each item on Success or Failed (or a clear error), no pollution, no API key anywhere', async () => {
		await fc.assert(
			fc.asyncProperty(cioCase, async ({ parameters, items, continueOnFail, weather: conditions, options }) => {
				prepareCio(conditions);
				await checkApiRun({
					node: new CustomerIoTrack(),
					items,
					parameters: { ...CIO_DEFAULTS, ...parameters, options: { ...options, retryDelayMs: 0, ratePerSecond: 1000, maxRetries: 4 } },
					continueOnFail,
					credentials: cioCredentials(conditions === 'refused'),
					authenticate: basicAuth,
					secrets: CIO_SECRETS,
					dryRun: false,
					callCount: () => cio.callLog().calls.length,
				});
			}),
			runs(120),
		);
	});

	it('dry run: sends nothing (empty call log), covers every item, shows no API key', async () => {
		await fc.assert(
			fc.asyncProperty(cioCase, async ({ parameters, items, continueOnFail, options }) => {
				cio.reset();
				await checkApiRun({
					node: new CustomerIoTrack(),
					items,
					parameters: { ...CIO_DEFAULTS, ...parameters, options: { ...options, dryRun: true } },
					continueOnFail,
					credentials: cioCredentials(false),
					authenticate: basicAuth,
					secrets: CIO_SECRETS,
					dryRun: true,
					callCount: () => cio.callLog().calls.length,
				});
			}),
			runs(100),
		);
	});
});
