import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CdnRequest, FakeCdn } from './attachment-types.js';
import { isSignedLink } from './attachments.js';
import { sendBytes, sendNotFound } from './cdn-stream.js';
import { notifyChange, type CdnFile, type FakeState } from './state.js';

const CDN_PATH = /^\/(?:ephemeral-)?attachments\/\d+\/(\d+)\/[^/]+$/;

export type Cdn = {
	readonly api: FakeCdn;
	/** Answers GET/HEAD on attachment paths; false when the request is not one, for the REST router to take. */
	handle(request: IncomingMessage, response: ServerResponse): boolean;
};

function samePath(file: CdnFile, path: string): boolean {
	try {
		return decodeURIComponent(path) === decodeURIComponent(file.path);
	} catch {
		return false;
	}
}

export function createCdn(state: FakeState): Cdn {
	const requests: CdnRequest[] = [];
	const expired = new Set<string>();
	const redirects = new Map<string, string>();
	let chunkDelayMs = 0;

	const answer = (request: IncomingMessage, response: ServerResponse, file: CdnFile | undefined, url: URL): number => {
		if (!file || !samePath(file, url.pathname) || !isSignedLink(file, url.searchParams)) return sendNotFound(response);
		const { attachment } = file;
		if (expired.has(attachment.id)) return sendNotFound(response);
		const location = redirects.get(attachment.id);
		if (location !== undefined) {
			response.writeHead(302, { Location: location }).end();
			return 302;
		}
		const contentType = attachment.servedContentType ?? attachment.contentType ?? 'application/octet-stream';
		return sendBytes(request, response, { data: attachment.data, contentType, chunkDelayMs });
	};

	return {
		api: {
			get origin() {
				return state.httpBase;
			},
			requests,
			expire(attachmentId) {
				for (const id of attachmentId === undefined ? state.cdnFiles.keys() : [attachmentId]) expired.add(id);
			},
			redirect(attachmentId, location) {
				redirects.set(attachmentId, location);
			},
			setChunkDelay(ms) {
				chunkDelayMs = ms;
			},
		},
		handle(request, response) {
			const method = request.method ?? 'GET';
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			if ((method !== 'GET' && method !== 'HEAD') || !/^\/(?:ephemeral-)?attachments\//.test(url.pathname)) {
				return false;
			}
			const id = CDN_PATH.exec(url.pathname)?.[1];
			const file = id === undefined ? undefined : state.cdnFiles.get(id);
			const status = answer(request, response, file, url);
			requests.push({ method, path: url.pathname, attachmentId: file?.attachment.id, status, at: Date.now() });
			notifyChange(state);
			return true;
		},
	};
}
