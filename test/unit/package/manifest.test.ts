/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- project tooling, never part of the package */
/**
 * The package as n8n and npm see it: the community-package manifest rules n8n verifies, every node and
 * credential listed once and present in the sources, and a tarball with nothing but the build, the
 * templates and the package documents.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	keywords: string[];
	files: string[];
	license: string;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
};

/** dist/nodes/X/X.node.js → nodes/X/X.node.ts (what the build compiles it from). */
const sourceOf = (distPath: string) => path.join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

describe('package.json', () => {
	it('is a community node package n8n accepts', () => {
		expect(manifest.name).toBe('n8n-nodes-commerce-retention');
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.license).toBe('MIT');
		expect(manifest.files).toEqual(['dist', 'workflows']);
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		expect(manifest.n8n.strict).toBe(true);
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		// lodash and luxon come from n8n at run time; n8n's verification rejects runtime dependencies.
		expect(manifest.dependencies ?? {}).toEqual({});
	});

	it('lists every node and credential of the sources, once each', () => {
		const nodeDirs = fs.readdirSync(path.join(ROOT, 'nodes'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && fs.existsSync(path.join(ROOT, 'nodes', entry.name, `${entry.name}.node.ts`)));
		expect(manifest.n8n.nodes.slice().sort()).toEqual(nodeDirs.map((entry) => `dist/nodes/${entry.name}/${entry.name}.node.js`).sort());
		const credentialFiles = fs.readdirSync(path.join(ROOT, 'credentials')).filter((file) => file.endsWith('.credentials.ts'));
		expect(manifest.n8n.credentials.slice().sort()).toEqual(credentialFiles.map((file) => `dist/credentials/${file.replace(/\.ts$/, '.js')}`).sort());
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(fs.existsSync(sourceOf(entry))).toBe(true);
	});

	it('gives every node its codex file and light and dark icons', () => {
		for (const entry of manifest.n8n.nodes) {
			const source = sourceOf(entry);
			expect(fs.existsSync(source.replace(/\.ts$/, '.json'))).toBe(true);
			const text = fs.readFileSync(source, 'utf8');
			const icons = [...text.matchAll(/file:([\w.-]+\.svg)/g)].map((match) => match[1]);
			expect(icons.length).toBeGreaterThanOrEqual(2);
			for (const icon of icons) expect(fs.existsSync(path.join(path.dirname(source), icon))).toBe(true);
		}
	});
});

describe('npm pack', () => {
	it('ships the build, the templates and the package documents, nothing from the tests or sources', () => {
		const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
		const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
		const files = pack.files.map((file) => file.path);
		const outside = files.filter((file) => !/^(dist|workflows)\//.test(file) && !['package.json', 'README.md', 'LICENSE.md'].includes(file));
		expect(outside).toEqual([]);
		expect(files.filter((file) => /(^|\/)(test|bench|scripts)\//.test(file) || file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
		const templates = fs.readdirSync(path.join(ROOT, 'workflows')).filter((file) => file.endsWith('.json'));
		for (const template of templates) expect(files).toContain(`workflows/${template}`);
	});
});
