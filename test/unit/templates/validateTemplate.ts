/**
 * The templates' drift guard: checks an n8n workflow export against the node descriptions of this
 * package (loaded from the node sources, as n8n would load the built classes) and returns every problem
 * found, in words that say which template, node and parameter is wrong. Parameter visibility is decided
 * by n8n-workflow's own `NodeHelpers.displayParameter`, the function n8n's editor and runtime use.
 */
import type {
	INode,
	INodeParameters,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
	NodeParameterValueType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

export const PACKAGE_PREFIX = 'n8n-nodes-commerce-retention.';

/** The credential every template uses for each credential type: fixed ids so the e2e can import them. */
export const TEMPLATE_CREDENTIALS: Record<string, { id: string; name: string }> = {
	zohoCrmRetentionOAuth2Api: { id: 'crZohoCrmCred001', name: 'Zoho CRM account' },
	customerIoTrackApi: { id: 'crCustomerIoCrd1', name: 'Customer.io account' },
	shopifyCommerceApi: { id: 'crShopifyCred001', name: 'Shopify store' },
	wooCommerceStoreApi: { id: 'crWooCommerceCr1', name: 'WooCommerce store' },
};

/**
 * Built-in node types the templates may use, with the typeVersions that exist in BOTH pinned n8n lines
 * (1.123.81 and 2.40.7), read from each release's n8n-nodes-base/dist/types/nodes.json.
 */
export const BUILT_IN_VERSIONS: Record<string, number[]> = {
	'n8n-nodes-base.stickyNote': [1],
	'n8n-nodes-base.manualTrigger': [1],
	'n8n-nodes-base.scheduleTrigger': [1, 1.1, 1.2, 1.3],
	'n8n-nodes-base.code': [1, 2],
	'n8n-nodes-base.if': [2, 2.1, 2.2, 2.3],
	'n8n-nodes-base.switch': [3, 3.1, 3.2, 3.3, 3.4],
	'n8n-nodes-base.filter': [2, 2.1, 2.2, 2.3],
	'n8n-nodes-base.set': [3, 3.1, 3.2, 3.3, 3.4],
	'n8n-nodes-base.httpRequest': [4, 4.1, 4.2, 4.3],
	'n8n-nodes-base.summarize': [1, 1.1],
	'n8n-nodes-base.aggregate': [1],
	'n8n-nodes-base.dataTable': [1],
	'n8n-nodes-base.emailSend': [2, 2.1],
	'n8n-nodes-base.googleSheets': [4, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.7],
	'n8n-nodes-base.noOp': [1],
	'n8n-nodes-base.merge': [3, 3.1, 3.2],
	'n8n-nodes-base.removeDuplicates': [2],
	'n8n-nodes-base.splitOut': [1],
	'n8n-nodes-base.sort': [1],
};

/** Credential types of n8n itself that built-in nodes in the templates may reference. */
export const BUILT_IN_CREDENTIALS = new Set(['smtp', 'googleSheetsOAuth2Api', 'googleApi']);

export interface TemplateNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position?: [number, number];
	parameters?: INodeParameters;
	credentials?: Record<string, { id?: string; name?: string; [key: string]: unknown }>;
	webhookId?: string;
	disabled?: boolean;
	[key: string]: unknown;
}

export interface WorkflowTemplate {
	id?: unknown;
	name?: unknown;
	nodes?: TemplateNode[];
	connections?: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }> | null>>>;
	settings?: unknown;
	pinData?: unknown;
	active?: unknown;
	[key: string]: unknown;
}

/** A node type of this package: its description and the credential types the package declares. */
export interface PackageCatalog {
	/** type name without prefix → description; `null` when package.json lists it but no source exists yet. */
	nodes: Map<string, INodeTypeDescription | null>;
	credentialTypes: Set<string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const WORKFLOW_ID = /^[A-Za-z0-9]{16}$/;

const isExpression = (value: unknown): boolean => typeof value === 'string' && value.startsWith('=');
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function versionsOf(description: INodeTypeDescription): number[] {
	return Array.isArray(description.version) ? description.version : [description.version];
}

/** The node descriptions of one installed n8n release (its n8n-nodes-base/dist/types/nodes.json). */
export interface N8nRelease {
	version: string;
	/** Built-in node descriptions; their `name` is without the `n8n-nodes-base.` prefix. */
	nodes: INodeTypeDescription[];
}

/**
 * Checks one template; returns its problems (empty when it is sound). With `releases`, the parameters
 * of built-in nodes are also checked against each release's own descriptions.
 */
export function validateTemplate(template: WorkflowTemplate, catalog: PackageCatalog, label = String(template.name ?? 'template'), releases: N8nRelease[] = []): string[] {
	const problems: string[] = [];
	const say = (message: string) => problems.push(`${label}: ${message}`);

	if (typeof template.id !== 'string' || !WORKFLOW_ID.test(template.id)) say(`workflow "id" must be a fixed 16-character id of letters and digits, got ${JSON.stringify(template.id)}`);
	if (typeof template.name !== 'string' || template.name.trim() === '') say('workflow "name" is missing');
	if (!Array.isArray(template.nodes) || template.nodes.length === 0) {
		say('"nodes" is missing or empty');
		return problems;
	}
	if (!isObject(template.connections)) say('"connections" must be an object');
	if (!isObject(template.settings)) say('"settings" must be an object');
	if (!isObject(template.pinData) || Object.keys(template.pinData).length > 0) say('"pinData" must be {} (templates ship without pinned data)');
	if (template.active !== false) say('"active" must be false (the operator activates after setting credentials)');

	const names = new Set<string>();
	const ids = new Set<string>();
	for (const node of template.nodes) {
		if (names.has(node.name)) say(`two nodes are named "${node.name}"`);
		names.add(node.name);
		if (typeof node.id === 'string') {
			if (ids.has(node.id)) say(`two nodes have the id "${node.id}"`);
			ids.add(node.id);
		} else say(`node "${node.name}" has no "id"`);
		if (!Array.isArray(node.position) || node.position.length !== 2) say(`node "${node.name}" has no [x, y] "position"`);
	}
	if (!template.nodes.some((node) => node.type === 'n8n-nodes-base.stickyNote')) say('has no sticky note explaining the setup');

	for (const node of template.nodes) {
		if (node.type.startsWith(PACKAGE_PREFIX)) problems.push(...validatePackageNode(node, catalog).map((problem) => `${label}: node "${node.name}": ${problem}`));
		else if (BUILT_IN_VERSIONS[node.type]) {
			if (!BUILT_IN_VERSIONS[node.type].includes(node.typeVersion)) {
				say(`node "${node.name}" uses ${node.type} version ${node.typeVersion}, which is not in both n8n lines (use one of ${BUILT_IN_VERSIONS[node.type].join(', ')})`);
			}
			for (const release of releases) {
				const shortName = node.type.replace(/^n8n-nodes-base\./, '');
				const description = release.nodes.find((candidate) => candidate.name === shortName && versionsOf(candidate).includes(node.typeVersion));
				if (!description) say(`node "${node.name}": n8n ${release.version} has no ${node.type} version ${node.typeVersion}`);
				else problems.push(...parameterProblems(node, description).map((problem) => `${label}: node "${node.name}" (n8n ${release.version}): ${problem}`));
			}
			for (const credentialType of Object.keys(node.credentials ?? {})) {
				if (!BUILT_IN_CREDENTIALS.has(credentialType) && !catalog.credentialTypes.has(credentialType)) say(`node "${node.name}" references unknown credential type "${credentialType}"`);
			}
		} else say(`node "${node.name}" has type "${node.type}", which is neither a node of this package nor a built-in node the templates are allowed to use`);
		problems.push(...credentialProblems(node).map((problem) => `${label}: node "${node.name}": ${problem}`));
	}

	for (const [source, outputs] of Object.entries(template.connections ?? {})) {
		if (!names.has(source)) say(`a connection starts at "${source}", which is not a node`);
		for (const [kind, lists] of Object.entries(outputs ?? {})) {
			for (const list of lists ?? []) {
				for (const target of list ?? []) {
					if (!names.has(target.node)) say(`"${source}" (${kind}) connects to "${target.node}", which is not a node`);
				}
			}
		}
		const sourceNode = template.nodes.find((node) => node.name === source);
		const description = sourceNode?.type.startsWith(PACKAGE_PREFIX) ? catalog.nodes.get(sourceNode.type.slice(PACKAGE_PREFIX.length)) : null;
		if (description && Array.isArray(description.outputs)) {
			const declared = description.outputs.length;
			const used = (outputs?.main ?? []).length;
			if (used > declared) say(`"${source}" has connections on ${used} outputs but the node has ${declared}`);
		}
	}

	problems.push(...secretProblems(template).map((problem) => `${label}: ${problem}`));
	return problems;
}

function credentialProblems(node: TemplateNode): string[] {
	const problems: string[] = [];
	for (const [type, reference] of Object.entries(node.credentials ?? {})) {
		const extra = Object.keys(reference ?? {}).filter((key) => key !== 'id' && key !== 'name');
		if (extra.length) problems.push(`credential "${type}" carries ${extra.join(', ')}: a template references credentials by id and name only`);
		const expected = TEMPLATE_CREDENTIALS[type];
		if (expected && (reference?.id !== expected.id || reference?.name !== expected.name)) {
			problems.push(`credential "${type}" must be referenced as ${JSON.stringify(expected)} (the id and name every template and the e2e suite share), got ${JSON.stringify(reference)}`);
		}
	}
	return problems;
}

/** Checks a node of this package against its description. */
export function validatePackageNode(node: TemplateNode, catalog: PackageCatalog): string[] {
	const typeName = node.type.slice(PACKAGE_PREFIX.length);
	if (!catalog.nodes.has(typeName)) return [`type "${node.type}" is not a node of this package (package.json's n8n.nodes)`];
	const description = catalog.nodes.get(typeName);
	if (!description) return [`type "${node.type}" is declared in package.json but its source (nodes/**) does not exist`];
	if (description.name !== typeName) return [`type "${node.type}" is declared, but the node's description is named "${description.name}"`];

	const problems: string[] = [];
	if (!versionsOf(description).includes(node.typeVersion)) problems.push(`typeVersion ${node.typeVersion} does not exist (the node has ${versionsOf(description).join(', ')})`);
	if (description.webhooks?.length && (typeof node.webhookId !== 'string' || !UUID.test(node.webhookId))) {
		problems.push('is a webhook node and needs a fixed "webhookId" (a UUID) so its URL stays the same after import');
	}

	problems.push(...parameterProblems(node, description));

	const parameters = node.parameters ?? {};
	const nodeRef: Pick<INode, 'typeVersion'> = { typeVersion: node.typeVersion };
	const resolved = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, nodeRef, description) ?? {};
	const issues = NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters } as unknown as INode, description);
	for (const [name, messages] of Object.entries(issues?.parameters ?? {})) problems.push(`parameter "${name}": ${messages.join('; ')}`);

	const declaredCredentials = new Set((description.credentials ?? []).map((credential) => credential.name));
	for (const credentialType of Object.keys(node.credentials ?? {})) {
		if (!catalog.credentialTypes.has(credentialType)) problems.push(`credential type "${credentialType}" is not a credential of this package`);
		else if (!declaredCredentials.has(credentialType)) problems.push(`credential type "${credentialType}" is not one this node uses (${Array.from(declaredCredentials).join(', ') || 'none'})`);
	}
	for (const credential of description.credentials ?? []) {
		if (!credential.required) continue;
		const needed = credential.displayOptions ? NodeHelpers.displayParameter(resolved, credential, nodeRef, description, resolved) : true;
		if (needed && !node.credentials?.[credential.name]) problems.push(`needs the credential "${credential.name}" with these settings, and the template does not reference it`);
	}
	return problems;
}

/**
 * Whether every parameter a node sets exists in the description for its typeVersion, is shown with the
 * node's other settings (n8n ignores hidden ones), and holds a value its type and options allow.
 */
export function parameterProblems(node: TemplateNode, description: INodeTypeDescription): string[] {
	const problems: string[] = [];
	const parameters = node.parameters ?? {};
	const nodeRef: Pick<INode, 'typeVersion'> = { typeVersion: node.typeVersion };
	// The values n8n resolves for the node (given ones plus defaults), against which visibility is decided.
	const resolved = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, nodeRef, description) ?? {};
	for (const [name, value] of Object.entries(parameters)) {
		const candidates = description.properties.filter((property) => property.name === name);
		if (candidates.length === 0) {
			problems.push(`parameter "${name}" does not exist in ${description.displayName} v${node.typeVersion}`);
			continue;
		}
		const shown = candidates.filter((property) => NodeHelpers.displayParameter(resolved, property, nodeRef, description, resolved));
		if (shown.length === 0) {
			problems.push(`parameter "${name}" is set but not shown with these settings (${describeConditions(candidates)}), so n8n ignores it`);
			continue;
		}
		const errors = shown.map((property) => valueProblems(property, value as NodeParameterValueType, name, { node: nodeRef, description, root: resolved }));
		// With same-named variants, the value must suit one of the variants shown.
		if (!errors.some((list) => list.length === 0)) problems.push(...errors[0]);
	}

	return problems;
}

function describeConditions(properties: INodeProperties[]): string {
	return properties
		.map((property) => JSON.stringify(property.displayOptions ?? {}))
		.join(' or ');
}

/** What decides whether options inside collections are shown: the node, its description and its resolved values. */
export interface DisplayContext {
	node: Pick<INode, 'typeVersion'>;
	description: INodeTypeDescription;
	root: INodeParameters;
}

/** Whether a value suits a property (type, option values, collection keys and their visibility), recursively. */
export function valueProblems(property: INodeProperties, value: NodeParameterValueType, path: string, context: DisplayContext): string[] {
	const shownIn = (values: INodeParameters, candidate: INodeProperties) => NodeHelpers.displayParameter(values, candidate, context.node, context.description, context.root);
	if (isExpression(value)) {
		return property.noDataExpression ? [`"${path}" takes no expression, got ${JSON.stringify(value)}`] : [];
	}
	if (property.type === 'options') {
		if (property.typeOptions?.loadOptionsMethod || property.typeOptions?.loadOptions) return [];
		const allowed = (property.options as INodePropertyOptions[] | undefined)?.map((option) => option.value) ?? [];
		return allowed.includes(value as string) ? [] : [`"${path}" is ${JSON.stringify(value)}, not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`];
	}
	if (property.type === 'multiOptions') {
		if (property.typeOptions?.loadOptionsMethod || property.typeOptions?.loadOptions) return [];
		if (!Array.isArray(value)) return [`"${path}" must be a list of values`];
		const allowed = (property.options as INodePropertyOptions[] | undefined)?.map((option) => option.value) ?? [];
		return value.filter((entry) => !allowed.includes(entry as string)).map((entry) => `"${path}" holds ${JSON.stringify(entry)}, not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
	}
	if (property.type === 'boolean') return typeof value === 'boolean' ? [] : [`"${path}" must be true or false, got ${JSON.stringify(value)}`];
	if (property.type === 'number') return typeof value === 'number' && Number.isFinite(value) ? [] : [`"${path}" must be a number, got ${JSON.stringify(value)}`];
	if (property.type === 'string' || property.type === 'dateTime' || property.type === 'color' || property.type === 'json') {
		if (typeof value !== 'string') return [`"${path}" must be text, got ${JSON.stringify(value)}`];
		if (property.typeOptions?.password && value !== '') return [`"${path}" is a secret field and must be empty in a template (the operator fills it in), not ${JSON.stringify('*'.repeat(Math.min(8, value.length)))}`];
		return [];
	}
	if (property.type === 'notice' || property.type === 'hidden') return [`"${path}" is a ${property.type} and is never set`];
	if (property.type === 'collection') {
		if (!isObject(value)) return [`"${path}" must be an object of options`];
		const options = (property.options ?? []) as INodeProperties[];
		return Object.entries(value).flatMap(([key, inner]) => {
			const candidates = options.filter((option) => option.name === key);
			if (candidates.length === 0) return [`"${path}.${key}" is not an option of "${property.displayName}" (options: ${options.map((option) => option.name).join(', ')})`];
			const shown = candidates.filter((candidate) => shownIn(value as INodeParameters, candidate));
			if (shown.length === 0) return [`"${path}.${key}" is set but not shown with these settings (${describeConditions(candidates)}), so n8n ignores it`];
			const errors = shown.map((candidate) => valueProblems(candidate, inner as NodeParameterValueType, `${path}.${key}`, context));
			return errors.some((list) => list.length === 0) ? [] : errors[0];
		});
	}
	if (property.type === 'fixedCollection') {
		if (!isObject(value)) return [`"${path}" must be an object of groups`];
		const groups = (property.options ?? []) as INodePropertyCollection[];
		return Object.entries(value).flatMap(([groupName, entries]) => {
			const group = groups.find((candidate) => candidate.name === groupName);
			if (!group) return [`"${path}.${groupName}" is not a group of "${property.displayName}" (groups: ${groups.map((g) => g.name).join(', ')})`];
			const list = property.typeOptions?.multipleValues ? entries : [entries];
			if (!Array.isArray(list)) return [`"${path}.${groupName}" must be a list`];
			return list.flatMap((entry, index) => {
				if (!isObject(entry)) return [`"${path}.${groupName}[${index}]" must be an object`];
				return Object.entries(entry).flatMap(([key, inner]) => {
					const candidates = group.values.filter((field) => field.name === key);
					if (candidates.length === 0) return [`"${path}.${groupName}[${index}].${key}" is not a field of "${group.displayName}" (fields: ${group.values.map((field) => field.name).join(', ')})`];
					// n8n fills every field of a new entry with its default, so unset siblings count as their defaults.
					const entryValues = { ...Object.fromEntries(group.values.map((field) => [field.name, field.default])), ...entry } as INodeParameters;
					const shown = candidates.filter((candidate) => shownIn(entryValues, candidate));
					if (shown.length === 0) return [`"${path}.${groupName}[${index}].${key}" is set but not shown with the entry's other values (${describeConditions(candidates)}), so n8n ignores it`];
					const errors = shown.map((candidate) => valueProblems(candidate, inner as NodeParameterValueType, `${path}.${groupName}[${index}].${key}`, context));
					return errors.some((list) => list.length === 0) ? [] : errors[0];
				});
			});
		});
	}
	if (property.type === 'resourceMapper') {
		const mapper = value as Record<string, unknown>;
		if (!isObject(mapper) || typeof mapper.mappingMode !== 'string') return [`"${path}" must be a resource-mapper value with "mappingMode"`];
		return ['defineBelow', 'autoMapInputData'].includes(mapper.mappingMode) ? [] : [`"${path}.mappingMode" is ${JSON.stringify(mapper.mappingMode)}, not "defineBelow" or "autoMapInputData"`];
	}
	if (property.type === 'resourceLocator') {
		const locator = value as Record<string, unknown>;
		if (!isObject(locator) || locator.__rl !== true) return [`"${path}" must be a resource locator ({ "__rl": true, "mode", "value" })`];
		const modes = (property.modes ?? []).map((mode) => mode.name);
		return modes.includes(String(locator.mode)) ? [] : [`"${path}.mode" is ${JSON.stringify(locator.mode)}, not one of ${modes.join(', ')}`];
	}
	return [];
}

/** Text that looks like a credential value: vendor token prefixes, bearer tokens, long hex or base64 keys. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
	[/shpat_[A-Za-z0-9_]+/, 'a Shopify access token'],
	[/shpss_[A-Za-z0-9_]+/, 'a Shopify shared secret'],
	[/\b[cC][ks]_[a-f0-9]{20,}/, 'a WooCommerce consumer key or secret'],
	[/\b1000\.[a-f0-9]{20,}/, 'a Zoho OAuth token'],
	[/Bearer\s+[A-Za-z0-9._~+/-]{12,}/, 'a bearer token'],
	[/Basic\s+[A-Za-z0-9+/=]{16,}/, 'a basic-auth header'],
	[/\b[a-f0-9]{32,}\b/i, 'a long hex key'],
];

/** Keys whose values must be absent or empty in a template. */
const SECRET_KEYS = /^(access_?token|refresh_?token|client_?secret|api_?key|app_?api_?key|site_?id|password|consumer_?(key|secret)|secret|oauthTokenData|webhookSecret|secretToken|checkToken|token)$/i;

export function secretProblems(template: WorkflowTemplate): string[] {
	const problems: string[] = [];
	const walk = (value: unknown, path: string) => {
		if (typeof value === 'string') {
			for (const [pattern, what] of SECRET_PATTERNS) if (pattern.test(value)) problems.push(`${path} looks like ${what}: templates hold no secrets`);
			return;
		}
		if (Array.isArray(value)) return value.forEach((entry, index) => walk(entry, `${path}[${index}]`));
		if (!isObject(value)) return;
		for (const [key, inner] of Object.entries(value)) {
			const innerPath = path ? `${path}.${key}` : key;
			if (SECRET_KEYS.test(key) && inner !== '' && inner !== undefined && inner !== null && !isObject(inner)) {
				problems.push(`${innerPath} holds a value: templates hold no secrets (leave it empty for the operator)`);
			} else if (SECRET_KEYS.test(key) && isObject(inner)) {
				problems.push(`${innerPath} holds data: templates hold no secrets`);
			}
			walk(inner, innerPath);
		}
	};
	// Sticky-note text may mention these words; only values are checked, and notes are prose.
	walk({ ...template, nodes: (template.nodes ?? []).map((node) => (node.type === 'n8n-nodes-base.stickyNote' ? { ...node, parameters: {} } : node)) }, '');
	return problems;
}
