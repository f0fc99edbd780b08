import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_MODEL, demoAnswer, demoChunks } from './demo-answer.js';

export type DemoModel = {
	/** The chat-completions base URL, `http://127.0.0.1:PORT/v1`. */
	readonly baseUrl: string;
	/** Every answer it started, in order (whole, even when the reader stopped early). */
	readonly answers: readonly string[];
	close(): Promise<void>;
};

type ChatBody = { model?: unknown; stream?: unknown; messages?: unknown };

const MODEL_ID = DEMO_MODEL.slice(DEMO_MODEL.indexOf('/') + 1);

/** The text of the last user message of a chat-completions body: a string, or the text parts of a list. */
function lastUserText(messages: unknown): string {
	if (!Array.isArray(messages)) return '';
	const users = (messages as { role?: unknown; content?: unknown }[]).filter((message) => message.role === 'user');
	const content = users.at(-1)?.content;
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return (content as { type?: unknown; text?: unknown }[])
		.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
		.join(' ');
}

async function readBody(request: IncomingMessage): Promise<ChatBody> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
	} catch {
		return {};
	}
}

const sleep = (delayMs: number, signal: AbortSignal): Promise<void> =>
	new Promise((resolve) => {
		const done = (): void => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, delayMs);
		signal.addEventListener('abort', done);
	});

function json(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { 'Content-Type': 'application/json' });
	response.end(JSON.stringify(body));
}

async function complete(
	request: IncomingMessage,
	response: ServerResponse,
	options: { chunkDelayMs: number; answers: string[] },
): Promise<void> {
	const body = await readBody(request);
	if (body.model !== MODEL_ID) {
		json(response, 404, {
			error: { message: `The model \`${String(body.model)}\` does not exist`, code: 'model_not_found' },
		});
		return;
	}
	const answer = demoAnswer(lastUserText(body.messages));
	options.answers.push(answer);
	const id = `chatcmpl-demo-${randomBytes(6).toString('hex')}`;
	const created = Math.floor(Date.now() / 1000);
	const usage = {
		prompt_tokens: 50,
		completion_tokens: demoChunks(answer).length,
		total_tokens: 50 + demoChunks(answer).length,
	};
	if (body.stream !== true) {
		const message = { role: 'assistant', content: answer };
		json(response, 200, {
			id,
			object: 'chat.completion',
			created,
			model: MODEL_ID,
			choices: [{ index: 0, message, finish_reason: 'stop' }],
			usage,
		});
		return;
	}
	const gone = new AbortController();
	response.on('close', () => {
		gone.abort();
	});
	response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
	const send = (delta: object, finish: string | null, extra: object = {}): void => {
		const chunk = {
			id,
			object: 'chat.completion.chunk',
			created,
			model: MODEL_ID,
			choices: [{ index: 0, delta, finish_reason: finish }],
			...extra,
		};
		response.write(`data: ${JSON.stringify(chunk)}\n\n`);
	};
	send({ role: 'assistant', content: '' }, null);
	for (const piece of demoChunks(answer)) {
		await sleep(options.chunkDelayMs, gone.signal);
		if (gone.signal.aborted) return;
		send({ content: piece }, null);
	}
	send({}, 'stop');
	response.write(
		`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: MODEL_ID, choices: [], usage })}\n\n`,
	);
	response.end('data: [DONE]\n\n');
}

/**
 * A chat-completions server on 127.0.0.1 that streams canned text (see `demoAnswer`): the sandbox's model when the
 * owner configured none, so the page works before any key exists. It serves `GET /v1/models` (the bot checks the
 * model name at start) and `POST /v1/chat/completions`, streamed or not.
 */
export async function startDemoModel(options: { chunkDelayMs?: number } = {}): Promise<DemoModel> {
	const chunkDelayMs = options.chunkDelayMs ?? 60;
	const answers: string[] = [];
	const server = createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
		if (request.method === 'GET' && path === '/v1/models') {
			json(response, 200, {
				object: 'list',
				data: [{ id: MODEL_ID, object: 'model', created: 0, owned_by: 'gemthread-sandbox' }],
			});
		} else if (request.method === 'POST' && path === '/v1/chat/completions') {
			complete(request, response, { chunkDelayMs, answers }).catch(() => response.destroy());
		} else json(response, 404, { error: { message: `no route ${request.method ?? ''} ${path}` } });
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		answers,
		close: () =>
			new Promise((resolve) => {
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			}),
	};
}
