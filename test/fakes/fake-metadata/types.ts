/** How token requests fail: an HTTP status (404: no such service account, 403: scopes missing, 500…) or a reset. */
export type TokenFailure = number | 'drop';

export type StartFakeMetadataOptions = {
	/** The answer of `project/project-id`. @default 'fake-project' */
	readonly projectId?: string;
	/** The `access_token` handed out. @default 'test-access-token' (the one the fake Gemini accepts by default) */
	readonly token?: string;
	/** The token's `expires_in`, in seconds. @default 3_599 (what GCE answers for a fresh token) */
	readonly expiresInSeconds?: number;
};

export type RecordedMetadataRequest = {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	/** What the fake answered; 0 when it dropped the connection. */
	status: number;
	receivedAt: number;
};

/** The variables that make google-auth-library take its credentials from the fake, without probing for it. */
export type FakeMetadataEnv = {
	readonly GCE_METADATA_HOST: string;
	readonly METADATA_SERVER_DETECTION: 'assume-present';
};

export type FakeMetadata = {
	/** 'http://127.0.0.1:PORT' */
	readonly url: string;
	/** '127.0.0.1:PORT', the form `GCE_METADATA_HOST` takes. */
	readonly host: string;
	readonly env: FakeMetadataEnv;
	readonly projectId: string;
	/** The service account's email; its token path works as well as `default`'s. */
	readonly serviceAccountEmail: string;
	/** The token handed out now. */
	readonly token: string;
	/** Hands out `token` from now on (clients that cached the old one keep using it until it expires). */
	setToken(token: string): void;
	/** Makes every token request fail this way until called with `undefined`. */
	failTokens(failure: TokenFailure | undefined): void;
	/** Every request in arrival order, rejected ones included (snapshot). */
	readonly requests: readonly RecordedMetadataRequest[];
	/** The token requests among `requests` (snapshot). */
	readonly tokenRequests: readonly RecordedMetadataRequest[];
	/** Clears the requests and the token failure, and restores the token given at start. */
	reset(): void;
	/** Destroys open connections and stops listening; later requests are refused (ECONNREFUSED). */
	close(): Promise<void>;
};
