/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * `npm start`: real n8n with this package installed as a community package and every template imported,
 * on SQLite at http://localhost:5678 (N8N_PORT to change). The owner account is set up on first start
 * and printed, so the operator logs straight in. Ctrl-C stops n8n cleanly.
 */
import path from 'node:path';

import {
	OWNER,
	START_VERSION,
	N8nRest,
	cacheDir,
	ensureN8n,
	importTemplates,
	installPackage,
	n8nEnv,
	packPackage,
	startN8n,
	templateFiles,
} from './n8n/harness';

async function main(): Promise<void> {
	const version = process.env.N8N_VERSION ?? START_VERSION;
	const port = Number(process.env.N8N_PORT ?? 5678);
	const userFolder = process.env.N8N_START_USER_FOLDER ?? path.join(cacheDir(), `start-${version}`);

	console.log(`\n▸ n8n ${version} (cached under ${cacheDir()})`);
	const install = ensureN8n(version);
	console.log('▸ Installing this package as a community package');
	installPackage(userFolder, packPackage());
	const env = n8nEnv({ userFolder, port });
	const templates = templateFiles();
	console.log(`▸ Importing ${templates.length} template(s) from workflows/`);
	importTemplates(install, env, templates);

	console.log('▸ Starting n8n ...');
	const n8n = await startN8n(install, { userFolder, port }, { echo: process.env.N8N_START_QUIET !== 'true' });
	const rest = new N8nRest(n8n.baseUrl);
	await rest.signIn();

	const stop = async (signal: string) => {
		console.log(`\n▸ ${signal}: stopping n8n ...`);
		await n8n.stop();
		console.log('▸ n8n stopped.');
		process.exit(0);
	};
	process.once('SIGINT', () => void stop('Ctrl-C'));
	process.once('SIGTERM', () => void stop('SIGTERM'));
	n8n.child.once('exit', (code) => {
		console.log(`▸ n8n exited (${code ?? 'signal'}).`);
		process.exit(code ?? 0);
	});

	console.log(`
┌──────────────────────────────────────────────────────────────────────
│ n8n ${version} is running with n8n-nodes-commerce-retention.
│ Open:      ${n8n.baseUrl}
│ Log in:    ${OWNER.email}  /  ${OWNER.password}
│ Templates: ${templates.length} in the workflow list; nodes under "Commerce Retention" in the palette
│ Data:      ${userFolder}
│ Stop:      Ctrl-C
└──────────────────────────────────────────────────────────────────────`);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
