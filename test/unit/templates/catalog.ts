/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * What this package offers n8n, read the way n8n reads it: package.json's `n8n` block names the built
 * node and credential files; each is loaded here from its TypeScript source (dist/nodes/X/X.node.js ←
 * nodes/X/X.node.ts) so the guard needs no build and always sees the current sources.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { ICredentialType, INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';

import type { N8nRelease, PackageCatalog } from './validateTemplate';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

interface Manifest {
	n8n: { nodes: string[]; credentials: string[] };
}

function sourceOf(distFile: string): string {
	return path.join(PROJECT_ROOT, distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function instantiate<T>(file: string): T[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(file) as Record<string, unknown>;
	return Object.values(exported)
		.filter((value): value is new () => T => typeof value === 'function' && /^class\s/.test(Function.prototype.toString.call(value)))
		.map((Class) => new Class());
}

function descriptionOf(node: INodeType | IVersionedNodeType): INodeTypeDescription {
	if ('nodeVersions' in node) {
		// A versioned node: its newest version's description carries the name and every version number.
		const versions = Object.keys(node.nodeVersions).map(Number);
		const newest = node.nodeVersions[Math.max(...versions)].description;
		return { ...newest, version: versions };
	}
	return node.description;
}

/** Loads the package's node descriptions and credential type names from their sources. */
export function loadCatalog(): PackageCatalog & { missingSources: string[] } {
	const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as Manifest;
	const nodes = new Map<string, INodeTypeDescription | null>();
	const credentialTypes = new Set<string>();
	const missingSources: string[] = [];
	for (const distFile of manifest.n8n.nodes) {
		const source = sourceOf(distFile);
		// The type name is the node description's `name`; before the source exists, n8n's convention
		// (class name with a lower-case first letter) names it.
		const fallbackName = path.basename(source, '.node.ts').replace(/^./, (c) => c.toLowerCase());
		if (!fs.existsSync(source)) {
			missingSources.push(path.relative(PROJECT_ROOT, source));
			nodes.set(fallbackName, null);
			continue;
		}
		for (const node of instantiate<INodeType | IVersionedNodeType>(source)) {
			const description = descriptionOf(node);
			nodes.set(description.name, description);
		}
	}
	for (const distFile of manifest.n8n.credentials) {
		const source = sourceOf(distFile);
		if (!fs.existsSync(source)) {
			missingSources.push(path.relative(PROJECT_ROOT, source));
			continue;
		}
		for (const credential of instantiate<ICredentialType>(source)) credentialTypes.add(credential.name);
	}
	return { nodes, credentialTypes, missingSources };
}

export function templateFiles(): string[] {
	const dir = path.join(PROJECT_ROOT, 'workflows');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => path.join(dir, name));
}

/**
 * The pinned n8n releases (scripts/n8n/versions.json) installed in the harness cache, with their
 * built-in node descriptions. Releases not installed on this machine are listed in `missing`.
 */
export function loadReleases(): { releases: N8nRelease[]; missing: string[] } {
	const versions = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'scripts', 'n8n', 'versions.json'), 'utf8')) as { tested: string[] };
	const cache = process.env.N8N_HARNESS_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-commerce-retention');
	const releases: N8nRelease[] = [];
	const missing: string[] = [];
	for (const version of versions.tested) {
		const file = path.join(cache, `n8n-${version}`, 'node_modules', 'n8n-nodes-base', 'dist', 'types', 'nodes.json');
		if (!fs.existsSync(file)) {
			missing.push(version);
			continue;
		}
		releases.push({ version, nodes: JSON.parse(fs.readFileSync(file, 'utf8')) as INodeTypeDescription[] });
	}
	return { releases, missing };
}
