import Ajv from 'ajv';
import { V1MessageBodySchema } from '../src/core/messages/message-schemas.js';
const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: true, uriResolver: undefined as any, addUsedSchema: false, allErrors: false });
const v = ajv.compile(V1MessageBodySchema as any);
const body = { input: { text: 'what is my balance' } };
const t0 = performance.now(); for (let i = 0; i < 200000; i++) v(body); console.log('validate us', ((performance.now() - t0) * 1000 / 200000).toFixed(2));
console.log(JSON.stringify(V1MessageBodySchema).slice(0, 400));
