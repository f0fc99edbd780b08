/** Sent as `candidate.groundingMetadata` on the last chunk, as after a `googleSearch` tool call. */
export type GeminiGrounding = {
	webSearchQueries?: readonly string[];
	/** `groundingChunks[i].web`; real `uri`s are vertexaisearch redirect links and `title`s are domains. */
	chunks: readonly { uri: string; title: string }[];
	/** `groundingSupports`; real indices are UTF-8 byte offsets into the answer text. */
	supports?: readonly GeminiGroundingSupport[];
};

export type GeminiGroundingSupport = {
	startIndex: number;
	endIndex: number;
	text: string;
	chunkIndices: readonly number[];
};

/** One `candidate.urlContextMetadata.urlMetadata` entry, as after a `urlContext` tool call. */
export type GeminiUrlContext = {
	url: string;
	status: 'URL_RETRIEVAL_STATUS_SUCCESS' | 'URL_RETRIEVAL_STATUS_ERROR';
};

/** One code execution: an `executableCode` part, then a `codeExecutionResult` part, each in its own chunk. */
export type GeminiCodeExecution = {
	language: 'PYTHON';
	code: string;
	outcome: 'OUTCOME_OK' | 'OUTCOME_FAILED';
	output: string;
	/** Index into `chunks` of the text chunk it follows; -1 puts it before the first text chunk. */
	afterChunk: number;
};
