import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiSurface } from './ast.js';
import { resolveField } from './fields.js';

function idOf(name: string, surface: ApiSurface): string | undefined {
  const ref = resolveField(name, surface);
  return ref && `${ref.id}${ref.member ? `:${ref.member}` : ''}/${ref.type}`;
}

describe('resolveField', () => {
  const synonyms: Array<[expected: string, names: Array<[name: string, surface: ApiSurface]>]> = [
    ['response_intents:intent/keyword', [['response.intents:intent', 'v1'], ['response.output.intents:intent', 'v2']]],
    ['response_intents:confidence/number', [['response.intents:confidence', 'v1'], ['response.output.intents:confidence', 'v2']]],
    ['response_entities:entity/keyword', [['response.entities:entity', 'v1'], ['response.output.entities:entity', 'v2']]],
    ['response_entities:value/text', [['response.entities:value', 'v1'], ['response.output.entities:value', 'v2']]],
    ['assistant_id/keyword', [['request.context.system.assistant_id', 'v1'], ['assistant_id', 'v2']]],
    [
      'user_id/keyword',
      [
        ['request.context.metadata.user_id', 'v1'],
        ['request.context.global.system.user_id', 'v2'],
        ['response.context.global.system.user_id', 'v2'],
      ],
    ],
    ['deployment/keyword', [['request.context.metadata.deployment', 'v1'], ['deployment', 'v1'], ['deployment', 'v2']]],
    [
      'conversation_id/keyword',
      [['conversation_id', 'v1'], ['response.context.conversation_id', 'v1'], ['response.context.conversation_id', 'v2']],
    ],
    ['top_intent/keyword', [['response.top_intent', 'v1']]],
    ['request_text/text', [['request.input.text', 'v1'], ['request.input.text', 'v2']]],
    ['request_timestamp/timestamp', [['request_timestamp', 'v1'], ['request_timestamp', 'v2']]],
    ['entities_count/number', [['meta.message.entities_count', 'v1']]],
  ];
  for (const [expected, names] of synonyms) {
    it(`resolves ${names.map(([name]) => name).join(', ')} to ${expected}`, () => {
      for (const [name, surface] of names) {
        assert.equal(idOf(name, surface), expected, `${name} on ${surface}`);
        assert.equal(idOf(name, 'any'), expected, `${name} on any`);
      }
    });
  }

  it('accepts the common fields on every surface', () => {
    const common = ['customer_id', 'request_timestamp', 'response_timestamp', 'log_id', 'conversation_id', 'session_id', 'deployment'];
    for (const name of common) {
      for (const surface of ['v1', 'v2', 'any'] as const) assert.ok(resolveField(name, surface), `${name} on ${surface}`);
    }
  });

  it('keeps version-specific fields to their surface but accepts them on any', () => {
    assert.equal(resolveField('workspace_id', 'v2'), undefined);
    assert.equal(resolveField('response.output.intents:intent', 'v1'), undefined);
    assert.ok(resolveField('workspace_id', 'any'));
    assert.ok(resolveField('skill_id', 'any'));
  });

  it('rejects unknown names, bare collections, wrong members and prototype keys', () => {
    for (const name of ['foo', 'response.intents', 'response.intents:entity', 'response.intents:intent:x', 'constructor', '']) {
      assert.equal(resolveField(name, 'any'), undefined, name);
    }
    assert.equal(resolveField('customer_id:intent', 'any'), undefined);
    assert.equal(resolveField('response.intents:constructor', 'any'), undefined);
  });
});
