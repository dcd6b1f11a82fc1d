import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { CustomerIoTrack } from '../../../nodes/CustomerIoTrack/CustomerIoTrack.node';
import type { CustomerIoContractServer } from '../../contract/customerio/server';
import type { HarnessOptions, HarnessResult } from '../../helpers/nodeHarness';
import { runNode } from '../../helpers/nodeHarness';

/** The credential as a headless import would hold it, pointing at the contract server. */
export function credentialsFor(server: CustomerIoContractServer, overrides: IDataObject = {}): Record<string, ICredentialDataDecryptedObject> {
	return { customerIoTrackApi: { siteId: server.options.siteId, apiKey: server.options.apiKey, region: 'custom', customUrl: server.url, ...overrides } };
}

/** What the credential's `authenticate` block does in n8n: Basic auth with site id and API key. */
export function basicAuth(_type: string, credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): IHttpRequestOptions {
	return { ...options, auth: { username: String(credentials.siteId), password: String(credentials.apiKey) } };
}

/** Fast retries for tests: no real waiting between attempts. */
export const FAST_RUN = { retryDelayMs: 0, ratePerSecond: 1000 };

export async function runCustomerIo(
	server: CustomerIoContractServer,
	parameters: Record<string, unknown>,
	items: IDataObject[],
	extra: Partial<HarnessOptions> = {},
): Promise<HarnessResult & { success: IDataObject[]; failed: IDataObject[] }> {
	const options = { ...FAST_RUN, ...((parameters.options as IDataObject | undefined) ?? {}) };
	const result = await runNode(new CustomerIoTrack(), {
		credentials: credentialsFor(server),
		authenticate: basicAuth,
		items,
		...extra,
		parameters: {
			attributes: {},
			enumAttributes: {},
			changeEvents: {},
			eventData: {},
			sendAllFields: false,
			sendAllFieldsAsData: false,
			timestampField: '',
			dedupeKeyFields: '',
			...parameters,
			options,
		},
	});
	return { ...result, success: result.outputs[0].map((i) => i.json), failed: result.outputs[1].map((i) => i.json) };
}
