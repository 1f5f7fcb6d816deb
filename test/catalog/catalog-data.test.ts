// Invariants of the catalog data (src/catalog/data). Everything downstream (validators, the
// /v1/library answers, estimates, routing) trusts these, so they are checked here once.
import { describe, expect, it } from 'vitest';
import { IMAGE_MODELS, MODELS, VIDEO_MODELS } from '../../src/catalog/data/index.ts';
import { PROVIDER_IDS, REGIONS, type CatalogModel, type Pricing, type SpecificParam } from '../../src/catalog/types.ts';

const ID_FORMAT = /^[a-z0-9.-]+\/[a-z0-9.-]+$/;
const IMAGE_FORMATS = new Set(['png', 'jpg', 'webp']);
const SDK_ORDERS = [
  'replicate',
  'bfl, replicate',
  'openai, replicate',
  'runway, replicate',
  'replicate, fal',
  'alibabacloud, replicate, fal',
  'bfl, replicate, cloudflare',
  'bfl, replicate, fal',
  'byteplus, replicate, fal',
  'openai, replicate, fal',
  'replicate, fal, cloudflare',
];

function providersOf(model: CatalogModel): string[] {
  return Object.keys(model.providers);
}

function pricesOf(pricing: Pricing): number[] {
  switch (pricing.kind) {
    case 'flat':
      return [pricing.per_output];
    case 'per_second':
      return [pricing.per_second];
    case 'per_second_tiered':
      return Object.values(pricing.per_second);
  }
}

function hasAtMostSixDecimals(price: number): boolean {
  const micro = price * 1_000_000;
  return Math.abs(micro - Math.round(micro)) < 1e-6;
}

function allPricings(model: CatalogModel): Pricing[] {
  const overrides = Object.values(model.providers).flatMap((offer) => (offer?.pricing ? [offer.pricing] : []));
  return [model.pricing, ...overrides];
}

/** Reports every model that breaks `check` (an empty list means the invariant holds). */
function violations(check: (model: CatalogModel) => string | undefined): string[] {
  return MODELS.flatMap((model) => {
    const problem = check(model);
    return problem === undefined ? [] : [`${model.model_identifier}: ${problem}`];
  });
}

describe('catalog size', () => {
  it('has at least 83 models, split into IMAGE_MODELS and VIDEO_MODELS', () => {
    expect(MODELS.length).toBeGreaterThanOrEqual(83);
    expect(MODELS.length).toBe(IMAGE_MODELS.length + VIDEO_MODELS.length);
    expect(IMAGE_MODELS.every((m) => m.model_type === 'image')).toBe(true);
    expect(VIDEO_MODELS.every((m) => m.model_type === 'video')).toBe(true);
  });

  it('spans at least 12 labs', () => {
    expect(new Set(MODELS.map((m) => m.lab)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(MODELS.map((m) => m.model_identifier.split('/')[0])).size).toBeGreaterThanOrEqual(12);
  });

  it('has every one of the 8 providers serving at least 3 models', () => {
    for (const provider of PROVIDER_IDS) {
      const served = MODELS.filter((m) => m.providers[provider] !== undefined).length;
      expect(served, provider).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives most models a failover provider', () => {
    const multi = MODELS.filter((m) => providersOf(m).length >= 2).length;
    expect(multi / MODELS.length).toBeGreaterThan(0.9);
  });
});

describe('model identifiers', () => {
  it('are lowercase <lab>/<slug> with [a-z0-9.-] only, exactly one slash and never the slug `list`', () => {
    expect(
      violations((m) => {
        if (!ID_FORMAT.test(m.model_identifier)) return 'bad format';
        if (m.model_identifier.split('/')[1] === 'list') return 'slug `list` collides with a route';
        return undefined;
      }),
    ).toEqual([]);
  });

  it('are unique', () => {
    const ids = MODELS.map((m) => m.model_identifier);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('include every id named in contract §18 and the SDK examples', () => {
    const required = [
      'bfl/flux-schnell',
      'google/veo-2',
      'bytedance/seedance-1-pro',
      'bytedance/seedance-1.5-pro',
      'qwen/image',
      'bfl/flux-1.1-pro',
      'bfl/flux-1.1-pro-ultra',
      'bfl/flux-2-pro',
      'bfl/flux-2-max',
      'bfl/flux-2-flex',
      'bfl/flux-2-klein-4b',
      'bfl/flux-2-klein-9b',
      'bytedance/seedream-4',
      'bytedance/seedream-4.5',
      'bytedance/seedream-5-lite',
      'bytedance/seedance-1-pro-fast',
      'z/image-turbo',
      'gpt/image-2',
    ];
    const ids = new Set(MODELS.map((m) => m.model_identifier));
    expect(required.filter((id) => !ids.has(id))).toEqual([]);
    for (const prefix of ['qwen/', 'wan/', 'happyhorse/', 'google/imagen-4', 'google/nano-banana', 'google/veo-3.1', 'runway/', 'bytedance/seedance-2.0']) {
      expect([...ids].some((id) => id.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it('keep the type and pricing kind of the models the SDK examples use', () => {
    const byId = new Map(MODELS.map((m) => [m.model_identifier, m]));
    const schnell = byId.get('bfl/flux-schnell');
    expect(schnell?.model_type).toBe('image');
    expect(schnell?.pricing).toEqual({ kind: 'flat', per_output: 0.005 });
    expect(byId.get('bfl/flux-1.1-pro')?.pricing.kind).toBe('flat');
    expect(byId.get('openai/gpt-image-1')?.pricing.kind).toBe('flat');
    expect(byId.get('google/veo-2')?.model_type).toBe('video');
    expect(byId.get('google/veo-2')?.pricing.kind).toBe('per_second');
    const seedance = byId.get('bytedance/seedance-1-pro');
    expect(seedance?.pricing.kind).toBe('per_second_tiered');
    expect(seedance?.schema.generation_resolution).toEqual(['1080p', '720p', '480p']);
    const seedance15 = byId.get('bytedance/seedance-1.5-pro');
    expect(seedance15?.pricing.kind).toBe('per_second_tiered');
    expect(seedance15?.schema.generation_generate_audio).toBe(true);
    if (seedance15?.pricing.kind === 'per_second_tiered') {
      expect(Object.keys(seedance15.pricing.per_second)).toContain('720p_audio');
      expect(Object.keys(seedance15.pricing.per_second)).toContain('720p_noaudio');
    }
  });
});

describe('providers and orders', () => {
  it('names only the 8 known providers, each with a raw id, regions, and a source', () => {
    const known = new Set<string>(PROVIDER_IDS);
    const regions = new Set<string>(REGIONS);
    expect(
      violations((m) => {
        if (providersOf(m).length === 0) return 'no provider';
        for (const [provider, offer] of Object.entries(m.providers)) {
          if (!known.has(provider)) return `unknown provider ${provider}`;
          if (!offer || offer.raw_model_id.trim() === '') return `${provider}: empty raw id`;
          if (offer.regions.length === 0 || !offer.regions.every((r) => regions.has(r))) return `${provider}: bad regions`;
          if (!offer.source || offer.source.trim() === '') return `${provider}: no source`;
          if (!offer.verified && !offer.source.startsWith('unconfirmed')) return `${provider}: unverified without reason`;
        }
        return undefined;
      }),
    ).toEqual([]);
  });

  it('has a default_order listing each serving provider exactly once', () => {
    expect(
      violations((m) => {
        const order = [...m.default_order];
        if (new Set(order).size !== order.length) return 'duplicate in default_order';
        if ([...order].sort().join() !== providersOf(m).sort().join()) return 'default_order != providers';
        return undefined;
      }),
    ).toEqual([]);
  });

  it('accepts only provider_orders that name providers serving the model, starting with its static order', () => {
    expect(
      violations((m) => {
        if (m.provider_orders.length === 0) return 'no provider_orders';
        if (m.provider_orders[0] !== m.default_order.join(', ')) return 'first order is not the static order';
        if (new Set(m.provider_orders).size !== m.provider_orders.length) return 'duplicate order';
        for (const order of m.provider_orders) {
          const names = order.split(', ');
          if (new Set(names).size !== names.length) return `order repeats a provider: ${order}`;
          if (!names.every((name) => m.providers[name as keyof typeof m.providers] !== undefined)) {
            return `order names a provider not serving it: ${order}`;
          }
        }
        return undefined;
      }),
    ).toEqual([]);
  });

  it('offers every SDK-typed order that fits a model', () => {
    expect(
      violations((m) => {
        const missing = SDK_ORDERS.filter(
          (order) =>
            order.split(', ').every((name) => m.providers[name as keyof typeof m.providers] !== undefined) &&
            !m.provider_orders.includes(order),
        );
        return missing.length > 0 ? `missing ${missing.join(' | ')}` : undefined;
      }),
    ).toEqual([]);
  });
});

describe('schemas', () => {
  it('have non-empty, duplicate-free ratios and formats', () => {
    expect(
      violations((m) => {
        const { generation_ratio: ratios, generation_output_format: formats } = m.schema;
        if (ratios.length === 0 || new Set(ratios).size !== ratios.length) return 'bad ratios';
        if (!ratios.every((r) => /^\d+:\d+$/.test(r))) return 'ratio not w:h';
        if (formats.length === 0 || new Set(formats).size !== formats.length) return 'bad formats';
        return undefined;
      }),
    ).toEqual([]);
  });

  it('use png/jpg/webp for images and mp4 for video', () => {
    expect(
      violations((m) => {
        const formats = m.schema.generation_output_format;
        if (m.model_type === 'image' && !formats.every((f) => IMAGE_FORMATS.has(f))) return `image formats ${formats}`;
        if (m.model_type === 'video' && formats.join() !== 'mp4') return `video formats ${formats}`;
        return undefined;
      }),
    ).toEqual([]);
  });

  it('declare durations exactly for video models, as ascending positive integers', () => {
    expect(
      violations((m) => {
        const durations = m.schema.generation_duration;
        if (m.model_type === 'image') return durations === undefined ? undefined : 'image with durations';
        if (!durations || durations.length === 0) return 'video without durations';
        if (!durations.every((d, i) => Number.isInteger(d) && d > 0 && (i === 0 || d > durations[i - 1]!))) {
          return `bad durations ${durations}`;
        }
        return undefined;
      }),
    ).toEqual([]);
  });

  it('keep video-only fields on video models', () => {
    expect(
      violations((m) => {
        if (m.model_type === 'video') return undefined;
        if (m.schema.generation_generate_audio !== undefined) return 'image with generate_audio';
        if (m.schema.generation_input_file_last_content !== undefined) return 'image with end frame';
        return undefined;
      }),
    ).toEqual([]);
  });

  it('have sane output counts and input-file limits', () => {
    expect(
      violations((m) => {
        const s = m.schema;
        if (!Number.isInteger(s.generation_output_number) || s.generation_output_number < 1) return 'bad output number';
        if (s.max_output_number !== undefined && s.max_output_number < s.generation_output_number) return 'max < default';
        if (s.max_input_files !== undefined && (!s.generation_input_file || s.max_input_files < 1)) return 'bad max_input_files';
        if (s.generation_input_file_last_content && !s.generation_input_file) return 'end frame without input files';
        const res = s.generation_resolution;
        if (res !== undefined && (res.length === 0 || new Set(res).size !== res.length)) return 'bad resolutions';
        return undefined;
      }),
    ).toEqual([]);
  });

  it('bound every model-specific parameter consistently', () => {
    const bad = (name: string, p: SpecificParam): string | undefined => {
      if (p.type === 'integer' || p.type === 'number') {
        if (p.min !== undefined && p.max !== undefined && p.min > p.max) return `${name}: min > max`;
        if (p.default !== undefined && p.min !== undefined && p.default < p.min) return `${name}: default < min`;
        if (p.default !== undefined && p.max !== undefined && p.default > p.max) return `${name}: default > max`;
        if (p.type === 'integer' && p.default !== undefined && !Number.isInteger(p.default)) return `${name}: default`;
      }
      if (p.type === 'string' && p.enum !== undefined) {
        if (p.enum.length === 0) return `${name}: empty enum`;
        if (p.default !== undefined && !p.enum.includes(p.default)) return `${name}: default not in enum`;
      }
      return undefined;
    };
    expect(
      violations((m) => {
        for (const [name, param] of Object.entries(m.specific_schema)) {
          if (name.startsWith('generation_')) return `${name} shadows a common field`;
          const problem = bad(name, param);
          if (problem) return problem;
        }
        return undefined;
      }),
    ).toEqual([]);
  });
});

describe('pricing', () => {
  it('is flat for images and per second (plain or tiered) for video', () => {
    expect(
      violations((m) =>
        allPricings(m).every((p) => (m.model_type === 'image' ? p.kind === 'flat' : p.kind !== 'flat'))
          ? undefined
          : 'pricing kind does not fit the model type',
      ),
    ).toEqual([]);
  });

  it('is positive, finite, and has at most 6 decimals', () => {
    expect(
      violations((m) => {
        const bad = allPricings(m)
          .flatMap(pricesOf)
          .filter((price) => !(Number.isFinite(price) && price > 0 && hasAtMostSixDecimals(price)));
        return bad.length > 0 ? `bad prices ${bad}` : undefined;
      }),
    ).toEqual([]);
  });

  it('keys tiered prices by the resolutions, with _audio/_noaudio suffixes when audio can be generated', () => {
    expect(
      violations((m) => {
        for (const pricing of allPricings(m)) {
          if (pricing.kind !== 'per_second_tiered') continue;
          const resolutions = m.schema.generation_resolution;
          if (!resolutions) return 'tiered pricing without resolutions';
          const expected = m.schema.generation_generate_audio
            ? resolutions.flatMap((r) => [`${r}_audio`, `${r}_noaudio`])
            : [...resolutions];
          const keys = Object.keys(pricing.per_second);
          if ([...keys].sort().join() !== [...expected].sort().join()) {
            return `tier keys ${keys.join(',')} != ${expected.join(',')}`;
          }
        }
        return undefined;
      }),
    ).toEqual([]);
  });

  it('prices audio at least as high as silence for each resolution', () => {
    expect(
      violations((m) => {
        if (m.pricing.kind !== 'per_second_tiered' || !m.schema.generation_generate_audio) return undefined;
        const tiers = m.pricing.per_second;
        const cheaper = (m.schema.generation_resolution ?? []).filter(
          (r) => (tiers[`${r}_audio`] ?? 0) < (tiers[`${r}_noaudio`] ?? 0),
        );
        return cheaper.length > 0 ? `audio cheaper at ${cheaper}` : undefined;
      }),
    ).toEqual([]);
  });
});
