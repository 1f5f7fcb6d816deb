// The OpenAPI 3.1 document: generated from the zod schemas, served without auth, and checked
// structurally here (references resolve, path templates match their parameters, operations are
// unique and complete, and the per-model request schemas carry the catalog's rules).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/api/openapi.ts';
import { allModels } from '../../src/catalog/index.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

type Json = Record<string, any>;
const doc = buildOpenApiDocument() as Json;

const CONTRACT_ENDPOINTS = [
  'post /v1/generate/image/{model_namespace}/{model_name}', 'post /v1/generate/video/{model_namespace}/{model_name}',
  'get /v1/content/{generation_id}', 'get /v1/content/list', 'post /v1/content/generation/cancel/{generation_id}',
  'delete /v1/content/{generation_id}', 'get /v1/estimate/{model_namespace}/{model_name}', 'get /v1/status', 'get /v1/usage',
  'get /v1/user/account', 'get /v1/user/billing', 'get /v1/health/inference/providers', 'get /v1/health/inference/models',
  'get /v1/health/storage', 'get /v1/health/cache', 'get /v1/library/providers', 'get /v1/library/models',
];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function* walk(node: unknown, path: string): Generator<[string, Json]> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* walk(node[i], `${path}/${i}`);
  } else if (node && typeof node === 'object') {
    yield [path, node as Json];
    for (const [k, v] of Object.entries(node)) yield* walk(v, `${path}/${k}`);
  }
}

function resolve(ref: string): unknown {
  expect(ref.startsWith('#/')).toBe(true);
  return ref.slice(2).split('/').reduce<any>((n, part) => n?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with info, paths and components', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    expect(doc.jsonSchemaDialect ?? 'https://spec.openapis.org/oas/3.1/dialect/base').toMatch(/^https:/);
    for (const p of Object.keys(doc.paths)) expect(p.startsWith('/')).toBe(true);
    for (const name of Object.keys(doc.components.schemas)) expect(name).toMatch(/^[a-zA-Z0-9._-]+$/);
  });

  it('lists all 17 contract endpoints and the document itself', () => {
    const ops = Object.entries(doc.paths as Json).flatMap(([p, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m} ${p}`));
    expect(ops.sort()).toEqual([...CONTRACT_ENDPOINTS, 'get /v1/openapi.json'].sort());
  });

  it('every $ref resolves inside the document', () => {
    let refs = 0;
    for (const [at, node] of walk(doc, '#')) {
      if (typeof node.$ref === 'string') {
        refs++;
        expect(resolve(node.$ref), `${at}: ${node.$ref}`).toBeDefined();
      }
    }
    expect(refs).toBeGreaterThan(100);
  });

  it('operations have unique ids, a 200 and an error response, and path parameters matching the template', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(item as Json).filter(([m]) => METHODS.includes(m)) as [string, Json][]) {
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        expect(op.responses['200'].description).toBeTruthy();
        if (path !== '/v1/openapi.json') expect(op.responses.default.$ref).toBe('#/components/responses/Error');
        const params = (op.parameters ?? []).map((p: Json) => (p.$ref ? resolve(p.$ref) : p) as Json);
        for (const p of params) {
          expect(['path', 'query', 'header', 'cookie']).toContain(p.in);
          expect(p.schema, `${method} ${path} ${p.name}`).toBeTypeOf('object');
        }
        const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
        const declared = params.filter((p: Json) => p.in === 'path').map((p: Json) => { expect(p.required).toBe(true); return p.name; }).sort();
        expect(declared, `${method} ${path}`).toEqual(templated);
      }
    }
  });

  it('schemas use only JSON Schema 2020-12 types, and every required property is declared', () => {
    const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
    for (const [at, node] of walk(doc.components.schemas, '#/components/schemas')) {
      if (/\/properties$/.test(at)) continue; // a map of property name -> schema, not a schema
      if (node.type !== undefined) for (const t of [node.type].flat()) expect(TYPES, at).toContain(t);
      if (Array.isArray(node.required) && node.properties) for (const r of node.required) expect(Object.keys(node.properties), at).toContain(r);
      if (node.enum !== undefined) expect(Array.isArray(node.enum) && node.enum.length > 0, at).toBe(true);
    }
  });

  it('has one request schema per catalog model, built from the same zod schema that validates requests', () => {
    for (const m of allModels()) {
      const s = doc.components.schemas[`GenerationRequest.${m.model_identifier.replace('/', '.')}`];
      expect(s, m.model_identifier).toBeDefined();
      expect(s.additionalProperties).toBe(false);
      expect(s.required).toContain('generation_prompt');
      expect(s.properties.generation_ratio.enum).toEqual(m.schema.generation_ratio);
      if (m.model_type === 'video') {
        expect(s.required).toContain('generation_duration');
        const d = s.properties.generation_duration;
        expect(d.enum ?? [d.const]).toEqual(m.schema.generation_duration);
      } else expect(s.properties.generation_duration).toBeUndefined();
      for (const k of Object.keys(m.specific_schema)) expect(Object.keys(s.properties)).toContain(k);
    }
    const image = doc.paths['/v1/generate/image/{model_namespace}/{model_name}'].post.requestBody.content['application/json'].schema.anyOf;
    expect(image).toHaveLength(allModels().filter((m) => m.model_type === 'image').length);
  });

  it('documents every error code of the catalogue and the rate-limit headers on 429', () => {
    expect(doc.components.schemas.ErrorEnvelope['x-error-codes']).toEqual(expect.arrayContaining(['BSE1004', 'BSE1029', 'BSE2015', 'BSE2016']));
    expect(Object.keys(doc.components.responses.RateLimited.headers)).toEqual(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After']);
  });
});

describe('GET /v1/openapi.json', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack({ worker: false });
  });
  afterAll(async () => {
    await s.close();
  });

  it('is served without a key, as JSON, with rate-limit headers', async () => {
    const r = await s.request('GET', '/v1/openapi.json', { key: null });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(r.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(r.json.openapi).toBe('3.1.0');
    expect(Object.keys(r.json.paths)).toEqual(Object.keys(doc.paths));
  });
});
