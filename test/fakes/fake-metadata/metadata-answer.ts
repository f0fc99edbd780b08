import type { TokenFailure } from './types.js';

export type MetadataAnswer = { status: number; contentType: string; body: string } | 'drop';

/** What the fake knows, as `answerMetadataRequest` reads it. */
export type MetadataFacts = {
	projectId: string;
	numericProjectId: string;
	serviceAccountEmail: string;
	token: string;
	expiresInSeconds: number;
	tokenFailure: TokenFailure | undefined;
};

export type MetadataRequest = { method: string; path: string; flavor: string | undefined };

const BASE_PATH = '/computeMetadata/v1';
const TOKEN_PATTERN = /^\/computeMetadata\/v1\/instance\/service-accounts\/([^/]+)\/token$/;
const EMAIL_PATTERN = /^\/computeMetadata\/v1\/instance\/service-accounts\/([^/]+)\/email$/;
const TEXT = 'application/text';

/** Answers like a GCE metadata server for the paths google-auth-library and gcp-metadata ask. */
export function answerMetadataRequest(facts: MetadataFacts, request: MetadataRequest): MetadataAnswer {
	// GCE refuses any request without this header, so that a browser or an SSRF cannot read the token.
	if (request.flavor !== 'Google') {
		const message = `Your client does not have permission to get URL ${request.path} from this server. Missing Metadata-Flavor:Google header.`;
		return html(403, message);
	}
	if (request.method !== 'GET') return html(405, 'Method Not Allowed');
	const path = request.path.replace(/\/$/, '');
	const accounts = ['default', facts.serviceAccountEmail];
	const token = TOKEN_PATTERN.exec(path)?.[1];
	if (token !== undefined && accounts.includes(token)) return tokenAnswer(facts);
	const email = EMAIL_PATTERN.exec(path)?.[1];
	if (email !== undefined && accounts.includes(email)) return text(facts.serviceAccountEmail);
	switch (path) {
		// The "ping" that detection modes other than assume-present send: a directory listing.
		case `${BASE_PATH}/instance`:
			return text('attributes/\nhostname\nid\nservice-accounts/\nzone\n');
		case `${BASE_PATH}/instance/service-accounts`:
			return text(`default/\n${facts.serviceAccountEmail}/\n`);
		case `${BASE_PATH}/project/project-id`:
			return text(facts.projectId);
		case `${BASE_PATH}/project/numeric-project-id`:
			return text(facts.numericProjectId);
		case `${BASE_PATH}/universe/universe-domain`:
			return text('googleapis.com');
		default:
			return html(404, 'Not Found');
	}
}

function tokenAnswer(facts: MetadataFacts): MetadataAnswer {
	const failure = facts.tokenFailure;
	if (failure === 'drop') return 'drop';
	if (failure !== undefined) return html(failure, `Token request failed with ${failure} (fake metadata server).`);
	const body = { access_token: facts.token, expires_in: facts.expiresInSeconds, token_type: 'Bearer' };
	return { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
}

function text(body: string): MetadataAnswer {
	return { status: 200, contentType: TEXT, body };
}

function html(status: number, message: string): MetadataAnswer {
	return { status, contentType: 'text/html; charset=UTF-8', body: `<!DOCTYPE html>\n<p>${status}. ${message}</p>\n` };
}
