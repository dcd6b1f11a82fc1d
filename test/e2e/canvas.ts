/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * Opens each template in n8n's editor in headless Chromium (Debian's `chromium`, driven by playwright-core,
 * no browser download) and takes a screenshot. A node whose type n8n does not know renders with a "?"
 * placeholder and a `node-not-installed` marker: those are the problems reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { PROJECT_ROOT } from '../../scripts/n8n/harness';
import type { BootedN8n } from './boot';

export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? path.join(PROJECT_ROOT, '.artifacts', 'screenshots');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TemplateShot {
	template: string;
	file: string;
	problems: string[];
}

export function chromiumPath(): string {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
	const found = candidates.find((candidate) => fs.existsSync(candidate));
	if (!found) throw new Error('Chromium not found: scripts/e2e.sh installs Debian\'s chromium; or set CHROMIUM_PATH');
	return found;
}

export async function screenshotTemplates(booted: BootedN8n, templateFiles: string[]): Promise<TemplateShot[]> {
	const outDir = path.join(SCREENSHOT_DIR, booted.install.version);
	fs.mkdirSync(outDir, { recursive: true });
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
	const shots: TemplateShot[] = [];
	try {
		const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
		const cookie = booted.rest.authCookie();
		if (!cookie) throw new Error('no n8n auth cookie to open the editor with');
		await context.addCookies([{ name: cookie.name, value: cookie.value, url: booted.n8n.baseUrl }]);
		const page = await context.newPage();
		for (const templateFile of templateFiles) {
			const workflow = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { id: string; nodes: Array<{ name: string; type: string }> };
			const template = path.basename(templateFile, '.json');
			await page.goto(`${booted.n8n.baseUrl}/workflow/${workflow.id}`);
			await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
			// Let icons load and the canvas fit to view.
			await page.waitForTimeout(1500);
			const file = path.join(outDir, `${template}.png`);
			await page.screenshot({ path: file });
			const rendered = await page.$$eval('[data-test-id="canvas-node"]', (elements) =>
				elements.map((element) => ({
					name: element.getAttribute('data-node-name') ?? '',
					notInstalled: element.querySelector('[data-test-id="node-not-installed"]') !== null,
				})),
			);
			const problems = rendered.filter((node) => node.notInstalled).map((node) => `${node.name} renders as an unknown node`);
			const expected = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').map((node) => node.name);
			const missing = expected.filter((name) => !rendered.some((node) => node.name === name));
			problems.push(...missing.map((name) => `${name} is not on the canvas`));
			shots.push({ template, file, problems });
		}
	} finally {
		await browser.close();
	}
	console.log(`Canvas screenshots (n8n ${booted.install.version}): ${outDir}`);
	return shots;
}
