import type { ModelCheck } from './check-models.js';

/** Vertex AI cannot be used with the credentials this machine has: the start stops with one line saying why. */
export class VertexCredentialsError extends Error {
	override readonly name = 'VertexCredentialsError';
}

const HOW_TO =
	'set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, run `gcloud auth application-default login`, or run on Google Cloud (Cloud Run, GCE, GKE), where the metadata server provides them';

// What google-auth-library says when Application Default Credentials cannot be found or used.
const NO_CREDENTIALS =
	/default credentials|could not refresh access token|unable to detect a project id|metadata|invalid_grant|GOOGLE_APPLICATION_CREDENTIALS|ENOENT.*\.json/i;

/** The one line for a start-up model check that failed on Vertex AI's credentials, or undefined when it did not. */
export function vertexCredentialsProblem(check: ModelCheck): string | undefined {
	if (check.kind === 'bad-key') {
		return `Vertex AI rejected this machine's credentials (${check.reason}): check that the service account (or gcloud login) has the Vertex AI User role on GOOGLE_CLOUD_PROJECT, or ${HOW_TO}.`;
	}
	if (check.kind === 'unreachable' && NO_CREDENTIALS.test(check.reason)) {
		return `Vertex AI needs Application Default Credentials and found none (${check.reason}): ${HOW_TO}.`;
	}
	return undefined;
}
