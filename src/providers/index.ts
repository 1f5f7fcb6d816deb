// The real provider adapters. Each serves its provider when the provider's credentials are in
// the environment (see README); otherwise the simulated twin does, where the deployment allows.
import { alibabacloudAdapter } from './alibabacloud/adapter.ts';
import { bflAdapter } from './bfl/adapter.ts';
import { byteplusAdapter } from './byteplus/adapter.ts';
import { cloudflareAdapter } from './cloudflare/adapter.ts';
import { falAdapter } from './fal/adapter.ts';
import { openaiAdapter } from './openai/adapter.ts';
import { replicateAdapter } from './replicate/adapter.ts';
import { runwayAdapter } from './runway/adapter.ts';
import type { ProviderAdapter } from './types.ts';

export const REAL_ADAPTERS: readonly ProviderAdapter[] = [
  alibabacloudAdapter, bflAdapter, byteplusAdapter, cloudflareAdapter, falAdapter, openaiAdapter, replicateAdapter, runwayAdapter,
];
