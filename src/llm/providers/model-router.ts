import type { ChatModel } from '../chat-model.js';
import type { ImageModel } from '../image-model.js';
import { ModelError } from '../model-error.js';
import type { ModelAddressBook } from '../../config/model-address.js';

/** The providers a call can go to: Gemini by location (or its only client), and OpenAI-compatible endpoints. */
export type ModelProviders = {
	readonly addresses: ModelAddressBook;
	/** Gemini's chat model for a Vertex location (undefined: the Gemini API); undefined when there is no Gemini. */
	readonly gemini: ((location: string | undefined) => ChatModel) | undefined;
	readonly geminiImages: ((location: string | undefined) => ImageModel) | undefined;
	/** Takes the full `endpoint/model` name. */
	readonly openai: ChatModel;
};

/**
 * One ChatModel over every provider: a queue lane names the model and where it runs (`gemini-2.5-flash@us-central1`,
 * `ollama/llama3.2`), and the call goes there with the model's own name.
 */
export function createModelRouter(providers: ModelProviders): { chat: ChatModel; images: ImageModel } {
	const noGemini = (model: string): ModelError =>
		new ModelError('model-not-found', `${model} is a Gemini model, and no Gemini API key or Vertex AI is configured`);
	return {
		chat: {
			stream(request) {
				const address = providers.addresses.parse(request.model);
				if (address.provider === 'openai') return providers.openai.stream(request);
				if (!providers.gemini) throw noGemini(address.model);
				return providers.gemini(address.location).stream({ ...request, model: address.model });
			},
		},
		images: {
			generate(request) {
				const address = providers.addresses.parse(request.model);
				if (address.provider === 'openai') {
					return Promise.reject(new ModelError('bad-request', 'Only Gemini image models can draw pictures'));
				}
				if (!providers.geminiImages) return Promise.reject(noGemini(address.model));
				return providers.geminiImages(address.location).generate({ ...request, model: address.model });
			},
		},
	};
}
