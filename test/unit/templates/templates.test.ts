/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Drift guard: every shipped template names only node types, versions, parameters, option values and
 * credentials this package (and both pinned n8n lines) actually have, and holds no secrets. A node
 * change that breaks a template fails here, long before an operator imports it.
 */
import fs from 'node:fs';
import path from 'node:path';

import { loadCatalog, loadReleases, templateFiles } from './catalog';
import type { TemplateNode, WorkflowTemplate } from './validateTemplate';
import { PACKAGE_PREFIX, TEMPLATE_CREDENTIALS, validateTemplate } from './validateTemplate';

const catalog = loadCatalog();
// The pinned n8n releases installed by the e2e harness, when present: built-in nodes are checked against them too.
const { releases, missing } = loadReleases();

const EXPECTED_TEMPLATES = [
	'attribution.json',
	'cart-abandonment.json',
	'customer-creation.json',
	'nightly-rfm-segmentation.json',
	'zoho-to-customerio-sync.json',
];

const templates = templateFiles().map((file) => ({ file, template: JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowTemplate }));

describe('workflow templates', () => {
	it('ships the five templates', () => {
		expect(templates.map(({ file }) => path.basename(file))).toEqual(EXPECTED_TEMPLATES);
	});

	it('gives every template its own id', () => {
		const ids = templates.map(({ template }) => template.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('gives every webhook node its own webhookId', () => {
		const webhookIds = templates.flatMap(({ template }) => (template.nodes ?? []).filter((node) => node.webhookId).map((node) => node.webhookId));
		expect(new Set(webhookIds).size).toBe(webhookIds.length);
	});

	it.each(templates.map(({ file, template }) => [path.basename(file), template]))('%s matches the package and both n8n lines', (name, template) => {
		expect(validateTemplate(template as WorkflowTemplate, catalog, name as string, releases)).toEqual([]);
	});

	(missing.length ? it.skip : it)(`checks built-in nodes against the installed n8n releases${missing.length ? ` (not installed here: ${missing.join(', ')}; npm run test:e2e installs them)` : ''}`, () => {
		expect(releases.length).toBeGreaterThan(0);
	});

	it('uses every node of the package in some template', () => {
		const used = new Set(templates.flatMap(({ template }) => (template.nodes ?? []).map((node) => node.type)));
		const unused = Array.from(catalog.nodes.keys()).filter((name) => !used.has(PACKAGE_PREFIX + name));
		expect(unused).toEqual([]);
	});
});

describe('the drift guard itself', () => {
	// A small sound template built on real nodes of the package; each case breaks one thing.
	const sound = (): WorkflowTemplate => ({
		id: 'crTplGuardTest01',
		name: 'Guard test',
		nodes: [
			{ id: 'a0000000-0000-4000-8000-000000000001', name: 'Note', type: 'n8n-nodes-base.stickyNote', typeVersion: 1, position: [0, 0], parameters: { content: 'Setup' } },
			{
				id: 'a0000000-0000-4000-8000-000000000002',
				name: 'Commerce Trigger',
				type: `${PACKAGE_PREFIX}commerceTrigger`,
				typeVersion: 1,
				position: [0, 200],
				webhookId: '0b6a4b7e-3f0e-4c55-9b1e-6f1d2b7d9a10',
				parameters: { source: 'shopify', registration: 'automatic', events: ['order.created'], options: { includeRaw: false } },
				credentials: { shopifyCommerceApi: TEMPLATE_CREDENTIALS.shopifyCommerceApi },
			},
			{
				id: 'a0000000-0000-4000-8000-000000000003',
				name: 'B2B Classifier',
				type: `${PACKAGE_PREFIX}b2bClassifier`,
				typeVersion: 1,
				position: [200, 200],
				parameters: { mode: 'weightedScore', output: 'split', scoreThreshold: 50, exchangeRates: { rates: [{ currency: 'EUR', rate: 1.08 }] } },
			},
		],
		connections: { 'Commerce Trigger': { main: [[{ node: 'B2B Classifier', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	});
	const problemsOf = (edit: (template: WorkflowTemplate, nodes: Record<string, TemplateNode>) => void) => {
		const template = sound();
		edit(template, Object.fromEntries((template.nodes ?? []).map((node) => [node.name, node])));
		return validateTemplate(template, catalog, 'guard');
	};
	const requireNodes = ['commerceTrigger', 'b2bClassifier'];
	const available = requireNodes.every((name) => catalog.nodes.get(name));
	const maybe = available ? it : it.skip;

	maybe('accepts the sound template', () => {
		expect(problemsOf(() => undefined)).toEqual([]);
	});

	maybe('rejects a parameter the node does not have', () => {
		expect(problemsOf((_t, n) => (n['B2B Classifier'].parameters!.threshold = 10))).toEqual([expect.stringContaining('parameter "threshold" does not exist')]);
	});

	maybe('rejects an option value the node does not offer', () => {
		expect(problemsOf((_t, n) => (n['B2B Classifier'].parameters!.output = 'magic'))).toEqual([expect.stringContaining('"output" is "magic", not one of')]);
	});

	maybe('rejects an event the trigger does not offer', () => {
		expect(problemsOf((_t, n) => (n['Commerce Trigger'].parameters!.events = ['order.created', 'order.exploded']))).toEqual([expect.stringContaining('"events" holds "order.exploded"')]);
	});

	maybe('rejects a parameter hidden by the other settings', () => {
		// Score Threshold is shown only in the weighted-score mode.
		expect(problemsOf((_t, n) => (n['B2B Classifier'].parameters!.mode = 'thresholdRule'))).toEqual([expect.stringContaining('parameter "scoreThreshold" is set but not shown')]);
	});

	maybe('rejects an unknown option inside a collection and a fixed collection', () => {
		expect(problemsOf((_t, n) => (n['Commerce Trigger'].parameters!.options = { includeRaw: true, keepForever: true }))).toEqual([expect.stringContaining('"options.keepForever" is not an option')]);
		expect(problemsOf((_t, n) => (n['B2B Classifier'].parameters!.exchangeRates = { rates: [{ currency: 'EUR', factor: 1.08 }] }))).toEqual([expect.stringContaining('"exchangeRates.rates[0].factor" is not a field')]);
	});

	maybe('rejects a wrong typeVersion, an unknown node type and a built-in version missing from one n8n line', () => {
		expect(problemsOf((_t, n) => (n['B2B Classifier'].typeVersion = 7))).toEqual([expect.stringContaining('typeVersion 7 does not exist')]);
		expect(problemsOf((_t, n) => (n['B2B Classifier'].type = `${PACKAGE_PREFIX}b2bClassifierPro`))).toEqual([expect.stringContaining('is not a node of this package')]);
		expect(problemsOf((_t, n) => (n.Note.typeVersion = 2))).toEqual([expect.stringContaining('not in both n8n lines')]);
	});

	maybe('rejects a webhook node without a fixed webhookId', () => {
		expect(problemsOf((_t, n) => delete n['Commerce Trigger'].webhookId)).toEqual([expect.stringContaining('needs a fixed "webhookId"')]);
	});

	maybe('rejects a missing required credential and a credential the node does not use', () => {
		expect(problemsOf((_t, n) => delete n['Commerce Trigger'].credentials)).toEqual([expect.stringContaining('needs the credential "shopifyCommerceApi"')]);
		expect(problemsOf((_t, n) => (n['B2B Classifier'].credentials = { shopifyCommerceApi: TEMPLATE_CREDENTIALS.shopifyCommerceApi }))).toEqual([expect.stringContaining('is not one this node uses')]);
	});

	maybe('rejects secrets: a filled secret parameter, credential data, token-like text', () => {
		const secretParameter = problemsOf((_t, n) => Object.assign(n['Commerce Trigger'].parameters!, { registration: 'manual', webhookSecret: 'shh-its-a-secret' }));
		expect(secretParameter).toEqual(expect.arrayContaining([expect.stringContaining('secret field and must be empty')]));
		const credentialData = problemsOf((_t, n) => (n['Commerce Trigger'].credentials = { shopifyCommerceApi: { ...TEMPLATE_CREDENTIALS.shopifyCommerceApi, accessToken: 'abc' } }));
		expect(credentialData).toEqual(expect.arrayContaining([expect.stringContaining('references credentials by id and name only')]));
		const tokenText = problemsOf((_t, n) => (n['B2B Classifier'].parameters!.knownBusinesses = 'shpat_0123456789abcdef'));
		expect(tokenText).toEqual([expect.stringContaining('looks like a Shopify access token')]);
	});

	// Mutations of a shipped template: options shown only for some operations, and built-in nodes.
	const shipped = (file: string) => JSON.parse(JSON.stringify(templates.find((entry) => path.basename(entry.file) === file)?.template ?? null)) as WorkflowTemplate | null;
	const nodeNamed = (template: WorkflowTemplate, name: string) => template.nodes!.find((node) => node.name === name)!;

	it('rejects an option shown only for another operation', () => {
		const template = shipped('customer-creation.json');
		if (!template || !catalog.nodes.get('customerIoTrack')) return;
		// "Source of Truth Value" belongs to Identify; on a Track node n8n hides it.
		nodeNamed(template, 'Customer.io: order_completed').parameters!.options = { sourceOfTruthValue: 'store' };
		expect(validateTemplate(template, catalog, 'mutated')).toEqual([expect.stringContaining('"options.sourceOfTruthValue" is set but not shown')]);
	});

	(releases.length ? it : it.skip)('rejects a built-in node parameter the installed n8n releases do not have', () => {
		const template = shipped('cart-abandonment.json');
		if (!template) return;
		nodeNamed(template, 'Check for abandoned carts').parameters!.httpMethod = 'POST';
		expect(validateTemplate(template, catalog, 'mutated', releases)).toEqual(releases.map((release) => expect.stringContaining(`(n8n ${release.version}): parameter "httpMethod" does not exist`)));
	});

	maybe('rejects connections to nodes that do not exist, and template-level omissions', () => {
		expect(problemsOf((t) => (t.connections = { 'B2B Classifier': { main: [[{ node: 'Zoho', type: 'main', index: 0 }]] } }))).toEqual([expect.stringContaining('connects to "Zoho", which is not a node')]);
		expect(problemsOf((t) => ((t.active = true), (t.pinData = { x: [] }), (t.id = 'short')))).toHaveLength(3);
		expect(problemsOf((t) => (t.nodes = t.nodes!.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')))).toEqual([expect.stringContaining('no sticky note')]);
	});
});
