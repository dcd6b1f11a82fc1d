/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * What the contract servers share: listening on 127.0.0.1 (port 0 = any free port), closing together
 * with their open keep-alive connections, the reply their request handlers build, and running one
 * standalone from the command line (the real-n8n suites start them that way).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A handler's answer: status, JSON body and extra headers. */
export class HttpReply {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {}
}

export abstract class ContractHttpServer {
	private server: http.Server | null = null;
	private baseUrl = '';

	/** Where to listen; port 0 or undefined takes any free port. */
	protected abstract listenAddress(): { host: string; port: number | undefined };

	protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;

	/** `http://127.0.0.1:<port>` once listening, else ''. */
	get url(): string {
		return this.baseUrl;
	}

	async listen(): Promise<string> {
		const { host, port } = this.listenAddress();
		const server = http.createServer((req, res) => void this.handle(req, res));
		this.server = server;
		await new Promise<void>((resolve) => server.listen(port ?? 0, host, resolve));
		this.baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
		return this.baseUrl;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		const server = this.server;
		this.server = null;
		server.closeAllConnections?.();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}

/** The value after `--name` on a command line. */
export function argValue(args: string[], name: string): string | undefined {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : undefined;
}

/**
 * Starts a server from its command line, prints the lines `describe` gives (a readable one, then a JSON
 * line for scripts) and stops it cleanly on Ctrl-C or SIGTERM.
 */
export function runStandalone<T extends ContractHttpServer>(start: (args: string[]) => Promise<T>, describe: (server: T) => string[]): void {
	void start(process.argv.slice(2)).then((server) => {
		for (const line of describe(server)) console.log(line);
		const stop = () => void server.close().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}
