export { startFakeMetadata } from './start-fake-metadata.js';
export type {
	FakeMetadata,
	FakeMetadataEnv,
	RecordedMetadataRequest,
	StartFakeMetadataOptions,
	TokenFailure,
} from './types.js';
