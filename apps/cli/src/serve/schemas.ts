import { Ajv } from 'ajv';
import type { ErrorObject, Options } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * The JSON schemas of the API and the validators that run them.
 *
 * Two ajv instances, both in strict mode (a schema mistake throws when the server is built instead of printing a
 * warning on every start): query strings arrive as text, so theirs coerces (`k=5` becomes 5); JSON bodies
 * already carry types, so theirs never coerces (with coercion, `{"user": null}` became `""` and answered 404
 * instead of 400). Ids are a non-empty string or a number, written with `anyOf` rather than a union `type`
 * list, which strict mode rejects.
 */
const common: Options = { strict: true, allErrors: false, useDefaults: true, removeAdditional: false };
const queryAjv = new Ajv({ ...common, coerceTypes: true });
const bodyAjv = new Ajv({ ...common, coerceTypes: false });

/** Validator compiler for fastify: coercion for query strings and parameters, none for bodies. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema as object);

/** A raw user or item id: a non-empty string or a number. */
const idSchema = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'number' }] };

/** `k` of /recommend and /similar. */
export function kSchema(maxK: number): object {
  return { type: 'integer', minimum: 1, maximum: maxK, default: 10 };
}

/** Query string of GET /recommend. */
export function recommendQuery(maxK: number): object {
  return { type: 'object', required: ['user'], properties: { user: { type: 'string', minLength: 1 }, k: kSchema(maxK) } };
}

/** Query string of GET /similar. */
export function similarQuery(maxK: number): object {
  return { type: 'object', required: ['item'], properties: { item: { type: 'string', minLength: 1 }, k: kSchema(maxK) } };
}

/** Body of POST /score: `{ pairs: [{ user, item }] }`, 1 to `maxPairs` pairs. */
export function scoreBody(maxPairs: number): object {
  return {
    type: 'object',
    required: ['pairs'],
    properties: {
      pairs: { type: 'array', minItems: 1, maxItems: maxPairs, items: { type: 'object', required: ['user', 'item'], properties: { user: idSchema, item: idSchema } } },
    },
  };
}

export interface ScoreBody {
  pairs: { user: string | number; item: string | number }[];
}

/** `/pairs/3/user` as `pairs[3].user`. */
function jsonPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v === '' ? 'an empty string' : JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/**
 * A one-line reason for a failed validation, naming the field the way a client wrote it
 * (`pairs[1].user must be a non-empty string or a number, got null`); fastify's own wording otherwise.
 */
export function formatSchemaErrors(errors: ErrorObject[], dataVar: string, body?: unknown): string {
  const e = errors.find((x) => x.keyword === 'anyOf') ?? errors[0];
  const path = jsonPath(e.instancePath);
  if (e.keyword === 'anyOf') {
    let value: unknown = body;
    for (const p of e.instancePath.split('/').slice(1)) value = (value as Record<string, unknown> | undefined)?.[p];
    return `${path} must be a non-empty string or a number, got ${describeValue(value)}`;
  }
  if (e.keyword === 'maxItems' && path === 'pairs') return `too many pairs: at most ${String(e.params.limit)} in one request (the server's --max-pairs)`;
  const where = path ? `${dataVar === 'querystring' ? '' : `${dataVar}/`}${path}` : dataVar;
  return `${where} ${e.message ?? 'is invalid'}`;
}
