import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeState } from './state.js';

/** Serves uploaded attachment bytes at the `url` their message payload advertises; false when it is not one. */
export function serveAttachment(state: FakeState, request: IncomingMessage, response: ServerResponse): boolean {
	const match = /^\/attachments\/\d+\/(\d+)\//.exec(request.url ?? '');
	if (!match) return false;
	for (const message of state.messages.values()) {
		const attachment = message.attachments.find((entry) => entry.id === match[1]);
		if (!attachment) continue;
		response.writeHead(200, { 'Content-Type': attachment.contentType ?? 'application/octet-stream' });
		response.end(attachment.data);
		return true;
	}
	return false;
}
