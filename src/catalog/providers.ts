// Provider profiles (contract §13 LibraryProvidersData). The adapters declare the same delivery,
// cancel and webhook methods; a test proves the two agree.
import type { ProviderId } from './types.ts';

export interface ProviderProfile {
  provider_id: ProviderId;
  provider_name: string;
  provider_description: string;
  provider_website: string;
  provider_docs: string;
  delivery_method: 'webhook_with_polling' | 'synchronous' | 'polling';
  cancel_method: 'prediction_cancel_api' | 'queue_cancel_api' | null;
  webhook_verification: 'hmac_sha256' | 'ed25519' | null;
}

export const PROVIDERS: Record<ProviderId, ProviderProfile> = {
  alibabacloud: {
    provider_id: 'alibabacloud', provider_name: 'Alibaba Cloud',
    provider_description: 'Alibaba Cloud Model Studio (DashScope): Qwen and Wan image and video models as asynchronous tasks.',
    provider_website: 'https://www.alibabacloud.com/en/product/modelstudio', provider_docs: 'https://www.alibabacloud.com/help/en/model-studio/',
    delivery_method: 'polling', cancel_method: 'queue_cancel_api', webhook_verification: null,
  },
  bfl: {
    provider_id: 'bfl', provider_name: 'BFL',
    provider_description: 'Black Forest Labs API: the FLUX family from its makers.',
    provider_website: 'https://bfl.ai', provider_docs: 'https://docs.bfl.ai',
    delivery_method: 'webhook_with_polling', cancel_method: null, webhook_verification: 'hmac_sha256',
  },
  byteplus: {
    provider_id: 'byteplus', provider_name: 'BytePlus',
    provider_description: 'BytePlus ModelArk: ByteDance Seedream images and Seedance video.',
    provider_website: 'https://www.byteplus.com/en/product/modelark', provider_docs: 'https://docs.byteplus.com/en/docs/ModelArk/',
    delivery_method: 'webhook_with_polling', cancel_method: 'queue_cancel_api', webhook_verification: null,
  },
  cloudflare: {
    provider_id: 'cloudflare', provider_name: 'Cloudflare',
    provider_description: 'Cloudflare Workers AI: serverless inference at the edge, answered synchronously.',
    provider_website: 'https://developers.cloudflare.com/workers-ai/', provider_docs: 'https://developers.cloudflare.com/workers-ai/models/',
    delivery_method: 'synchronous', cancel_method: null, webhook_verification: null,
  },
  fal: {
    provider_id: 'fal', provider_name: 'FAL',
    provider_description: 'fal.ai queue API: fast hosted image and video models.',
    provider_website: 'https://fal.ai', provider_docs: 'https://docs.fal.ai',
    delivery_method: 'webhook_with_polling', cancel_method: 'queue_cancel_api', webhook_verification: 'ed25519',
  },
  openai: {
    provider_id: 'openai', provider_name: 'OpenAI',
    provider_description: 'OpenAI Images API: GPT Image models, answered synchronously.',
    provider_website: 'https://openai.com', provider_docs: 'https://platform.openai.com/docs/api-reference/images',
    delivery_method: 'synchronous', cancel_method: null, webhook_verification: null,
  },
  replicate: {
    provider_id: 'replicate', provider_name: 'Replicate',
    provider_description: 'Replicate predictions API: thousands of open and proprietary models.',
    provider_website: 'https://replicate.com', provider_docs: 'https://replicate.com/docs/reference/http',
    delivery_method: 'webhook_with_polling', cancel_method: 'prediction_cancel_api', webhook_verification: 'hmac_sha256',
  },
  runway: {
    provider_id: 'runway', provider_name: 'Runway',
    provider_description: 'Runway API: Gen-4 video and image models as tasks.',
    provider_website: 'https://runwayml.com', provider_docs: 'https://docs.dev.runwayml.com',
    delivery_method: 'polling', cancel_method: 'prediction_cancel_api', webhook_verification: null,
  },
};
