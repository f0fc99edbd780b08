import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiError, type RestResponse, type UploadedFile } from './responses.js';

const INVALID_JSON = Symbol('invalid JSON');

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return INVALID_JSON;
	}
}

/** The JSON body (`payload_json` for multipart) and uploaded files, or the 400 Discord answers a bad body with. */
export async function readBody(
	request: IncomingMessage,
): Promise<{ body: unknown; files: UploadedFile[] } | RestResponse> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const raw = Buffer.concat(chunks);
	const contentType = request.headers['content-type'] ?? '';
	if (raw.length === 0) return { body: undefined, files: [] };
	if (contentType.startsWith('multipart/form-data')) {
		let form: FormData;
		try {
			// eslint-disable-next-line @typescript-eslint/no-deprecated -- fine for a test server; avoids a multipart dependency.
			form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
		} catch {
			return apiError(400, 50035, 'Invalid Form Body');
		}
		const files: UploadedFile[] = [];
		let body: unknown;
		for (const [field, value] of form.entries()) {
			if (typeof value === 'string') {
				if (field === 'payload_json') body = parseJson(value);
				continue;
			}
			const data = Buffer.from(await value.arrayBuffer());
			files.push({ field, filename: value.name, contentType: value.type === '' ? undefined : value.type, data });
		}
		return body === INVALID_JSON ? apiError(400, 50109, 'The request body contains invalid JSON.') : { body, files };
	}
	const body = parseJson(raw.toString('utf8'));
	return body === INVALID_JSON ? apiError(400, 50109, 'The request body contains invalid JSON.') : { body, files: [] };
}

export function send(response: ServerResponse, result: RestResponse): void {
	const headers = { ...result.headers };
	if (result.status === 204 || result.body === undefined) {
		response.writeHead(result.status, headers).end();
		return;
	}
	headers['Content-Type'] = 'application/json';
	response.writeHead(result.status, headers).end(JSON.stringify(result.body));
}
