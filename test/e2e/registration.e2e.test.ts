/* eslint-disable @n8n/community-nodes/no-restricted-imports -- e2e tooling, never part of the package */
/**
 * Real n8n loads the package: every node and credential registered under its real name with its
 * version and icon, no load error logged, and every template's nodes resolve to known types.
 */
import fs from 'node:fs';
import path from 'node:path';

import { PACKAGE_NAME, PROJECT_ROOT, templateFiles } from '../../scripts/n8n/harness';
import { N8N_VERSION, bootN8n, packageLoadErrors, type BootedN8n } from './boot';
import { screenshotTemplates } from './canvas';

interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	icon?: unknown;
	iconUrl?: string | { light: string; dark: string };
	credentials?: Array<{ name: string }>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

/** What the built package declares: the classes from dist/, as n8n would load them. */
function declared<T>(files: string[]): T[] {
	return files.map((file) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(path.join(PROJECT_ROOT, file)) as Record<string, new () => T>;
		const [Class] = Object.values(exported);
		return new Class();
	});
}

const declaredNodes = declared<{ description: NodeTypeDescription }>(manifest.n8n.nodes).map((node) => node.description);
const declaredCredentials = declared<{ name: string; displayName: string; icon?: unknown }>(manifest.n8n.credentials);

describe(`n8n ${N8N_VERSION} loads ${PACKAGE_NAME}`, () => {
	let booted: BootedN8n;
	let nodeTypes: NodeTypeDescription[];

	beforeAll(async () => {
		booted = await bootN8n({ workflowFiles: templateFiles() });
		nodeTypes = await booted.rest.get<NodeTypeDescription[]>('/types/nodes.json');
	}, 600_000);

	afterAll(async () => {
		await booted?.stop();
	});

	it('declares the six nodes and four credentials', () => {
		expect(declaredNodes.map((node) => node.name).sort()).toEqual(
			['b2bClassifier', 'commerceTrigger', 'customerIoTrack', 'rfmScorer', 'winBackRouter', 'zohoCrmUpsert'],
		);
		expect(declaredCredentials).toHaveLength(4);
	});

	it.each(declaredNodes.map((node) => [node.name, node]))('registers node %s with its version and icon', async (_name, node) => {
		const registered = nodeTypes.filter((type) => type.name === `${PACKAGE_NAME}.${node.name}`);
		expect(registered.length).toBeGreaterThan(0);
		const versions = registered.flatMap((type) => (Array.isArray(type.version) ? type.version : [type.version]));
		const expected = Array.isArray(node.version) ? node.version : [node.version];
		expect(versions.sort()).toEqual(expect.arrayContaining(expected));
		expect(registered[0].displayName).toBe(node.displayName);
		// Community packages' file icons are served by n8n under /icons/<package>/...
		const iconUrl = registered[0].iconUrl;
		expect(iconUrl).toBeDefined();
		const urls = typeof iconUrl === 'string' ? [iconUrl] : [iconUrl!.light, iconUrl!.dark];
		for (const url of urls) {
			const response = await fetch(`${booted.n8n.baseUrl}/${url.replace(/^\//, '')}`);
			expect(response.status).toBe(200);
			expect(await response.text()).toMatch(/<svg/);
		}
	});

	it('registers every credential type', async () => {
		const credentialTypes = await booted.rest.get<Array<{ name: string; displayName: string }>>('/types/credentials.json');
		for (const credential of declaredCredentials) {
			const registered = credentialTypes.find((type) => type.name === credential.name);
			expect(registered?.displayName).toBe(credential.displayName);
		}
	});

	it('logs no load error for the package', () => {
		expect(packageLoadErrors(booted.n8n.log())).toEqual([]);
	});

	it('resolves every node of every template to a known type', async () => {
		const known = new Set(nodeTypes.map((type) => type.name));
		const templates = templateFiles();
		expect(templates.length).toBeGreaterThanOrEqual(5);
		for (const file of templates) {
			const workflow = JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string; nodes: Array<{ name: string; type: string }> };
			const unknown = workflow.nodes.filter((node) => !known.has(node.type)).map((node) => `${node.name} (${node.type})`);
			expect({ template: path.basename(file), unknown }).toEqual({ template: path.basename(file), unknown: [] });
			// And n8n stored it: the workflow list names it.
			const stored = await booted.rest.get<unknown>(`/rest/workflows/${workflow.id}`);
			expect(stored).toBeDefined();
		}
	});

	it('renders every template on the canvas without an unknown node', async () => {
		const shots = await screenshotTemplates(booted, templateFiles());
		for (const shot of shots) {
			expect({ template: shot.template, problems: shot.problems }).toEqual({ template: shot.template, problems: [] });
		}
	});
});
