import type { IncomingMessage } from 'node:http';

/** Up to 40 MiB: a few pictures or PDFs as base64. */
const MAX_BODY_BYTES = 40 * 2 ** 20;

/** The request's JSON body; throws a short message when it is too large or not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY_BYTES) throw new Error('too large: the sandbox takes up to 40 MiB per message');
		chunks.push(chunk as Buffer);
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
	} catch {
		throw new Error('the body is not JSON');
	}
}
