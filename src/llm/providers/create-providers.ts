import type { Config } from '../../config/config.js';
import { envName } from '../../config/parse-providers.js';
import type { AttachmentKind } from '../../store/ports/attachment-store.js';
import type { ChatModel } from '../chat-model.js';
import type { ModelCatalog } from '../check-models.js';
import { createGeminiClients } from '../create-gemini-client.js';
import { createGeminiImageModel } from '../gemini-image-model.js';
import { createGeminiModelCatalog } from '../gemini-model-catalog.js';
import { createGeminiModel } from '../gemini-model.js';
import type { ImageModel } from '../image-model.js';
import type { ModelLanes } from '../model-gate.js';
import { createOpenAiClients } from '../openai/create-openai-clients.js';
import { createOpenAiModelCatalog } from '../openai/openai-model-catalog.js';
import { createOpenAiModel } from '../openai/openai-model.js';
import type { ModelAddressBook } from '../../config/model-address.js';
import { createModelAddressBook, laneName } from '../../config/model-address.js';
import { createModelRouter } from './model-router.js';
import type { ProviderLabel } from './provider-label.js';
import { GEMINI_LABEL, VERTEX_LABEL } from './provider-label.js';

/** Every model provider the configuration names, behind the bot's ports. */
export type Providers = {
	readonly addresses: ModelAddressBook;
	readonly chat: ChatModel;
	/** Gemini's image models; undefined without Gemini (then /imagine says it needs Gemini). */
	readonly images: ImageModel | undefined;
	/** Queue lanes: a Vertex AI deployment runs each Gemini model in every location. */
	readonly lanes: ModelLanes;
	readonly labelOf: (model: string) => ProviderLabel;
	/** Which files a model reads inline; the others go as a placeholder and are named in the "Left out" line. */
	readonly accepts: (model: string) => (kind: AttachmentKind) => boolean;
	/** Whether a model has Gemini's tools (search, URL context, code execution) and thinking budgets. */
	readonly isGemini: (model: string) => boolean;
	/** For the start-up check of model names. */
	readonly geminiCatalog: ModelCatalog | undefined;
	readonly endpointCatalog: (endpoint: string) => ModelCatalog;
};

export function createProviders(config: Pick<Config, 'gemini' | 'endpoints'>): Providers {
	const addresses = createModelAddressBook(config.endpoints.map((endpoint) => endpoint.name));
	const geminiClients = config.gemini && createGeminiClients(config.gemini);
	const openAiClients = createOpenAiClients(config.endpoints);
	const textOnly = new Set<string>();
	const geminiChat = new Map<string | undefined, ChatModel>();
	const geminiImages = new Map<string | undefined, ImageModel>();
	const router = createModelRouter({
		addresses,
		gemini:
			geminiClients &&
			((location) => {
				let model = geminiChat.get(location);
				if (!model)
					geminiChat.set(location, (model = createGeminiModel({ client: geminiClients.clientFor(location) })));
				return model;
			}),
		geminiImages:
			geminiClients &&
			((location) => {
				let model = geminiImages.get(location);
				if (!model) {
					geminiImages.set(location, (model = createGeminiImageModel({ client: geminiClients.clientFor(location) })));
				}
				return model;
			}),
		openai: createOpenAiModel({
			addresses,
			clientFor: (endpoint) => openAiClients.clientFor(endpoint),
			usesMaxCompletionTokens: (endpoint) => openAiClients.usesMaxCompletionTokens(endpoint),
		}),
	});
	const locations = geminiClients?.locations ?? [];
	const isGemini = (model: string): boolean => addresses.parse(model).provider === 'gemini';
	return {
		addresses,
		chat: router.chat,
		images: geminiClients && router.images,
		lanes: {
			of: (model) =>
				locations.length > 0 && isGemini(model) ? locations.map((location) => laneName(model, location)) : [model],
			modelOf: (lane) => addresses.modelOf(lane),
		},
		labelOf(model) {
			const address = addresses.parse(model);
			if (address.provider === 'gemini') return config.gemini?.kind === 'vertex' ? VERTEX_LABEL : GEMINI_LABEL;
			return {
				name: address.endpoint === 'openai' ? 'OpenAI' : address.endpoint,
				credentials: `${envName(address.endpoint)}_API_KEY`,
			};
		},
		accepts: (model) => (kind) => isGemini(model) || (kind === 'image' && !textOnly.has(model)),
		isGemini,
		geminiCatalog: geminiClients && createGeminiModelCatalog({ client: geminiClients.clientFor(undefined) }),
		endpointCatalog: (endpoint) =>
			createOpenAiModelCatalog({ endpoint, client: openAiClients.clientFor(endpoint), textOnly }),
	};
}
