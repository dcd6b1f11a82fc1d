import type { ILoadOptionsFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { ZohoClient, ZohoReadError } from '../../../core/zoho/client';
import { buildFieldsRequest, buildModulesRequest } from '../../../core/zoho/requests';
import { connect } from '../transport/zohoApi';

/** Module and field metadata for the canvas (dropdowns and the field mapper), read with a couple of retries. */

export interface ZohoModuleMeta {
	api_name: string;
	module_name?: string;
	plural_label?: string;
	singular_label?: string;
	generated_type?: string;
	api_supported?: boolean;
	creatable?: boolean;
	editable?: boolean;
}

export interface ZohoFieldMeta {
	api_name: string;
	field_label?: string;
	display_label?: string;
	data_type?: string;
	system_mandatory?: boolean;
	read_only?: boolean;
	field_read_only?: boolean;
	unique?: Record<string, unknown>;
	pick_list_values?: Array<{ display_value?: string; actual_value?: string }>;
	lookup?: { module?: { api_name?: string } };
}

async function metadataClient(ctx: ILoadOptionsFunctions): Promise<ZohoClient> {
	const { transport } = await connect(ctx);
	return new ZohoClient({ transport, sleep, concurrency: 1, retryPolicy: { maxRetries: 2, baseDelayMs: 300, maxDelayMs: 2000 } });
}

async function read(ctx: ILoadOptionsFunctions, run: (client: ZohoClient) => Promise<unknown>): Promise<unknown> {
	try {
		return await run(await metadataClient(ctx));
	} catch (error) {
		if (error instanceof ZohoReadError) throw new NodeOperationError(ctx.getNode(), error.failure.message);
		throw new NodeApiError(ctx.getNode(), error as JsonObject);
	}
}

export async function fetchModules(ctx: ILoadOptionsFunctions): Promise<ZohoModuleMeta[]> {
	const body = (await read(ctx, (client) => client.read(buildModulesRequest()))) as { modules?: ZohoModuleMeta[] } | null;
	return (body?.modules ?? []).filter((m) => m.api_supported !== false && m.creatable !== false && (m.generated_type === 'default' || m.generated_type === 'custom'));
}

export async function fetchFields(ctx: ILoadOptionsFunctions, module: string): Promise<ZohoFieldMeta[]> {
	const body = (await read(ctx, (client) => client.read(buildFieldsRequest(module), module))) as { fields?: ZohoFieldMeta[] } | null;
	return body?.fields ?? [];
}
