import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiSurface, FieldRef, FilterExpr, Op, TermValue } from './ast.js';
import { resolveField } from './fields.js';
import { parseFilter } from './parse.js';

const DAY_MS = 86_400_000;

function field(name: string): FieldRef {
  const ref = resolveField(name, 'any');
  assert.ok(ref, `test setup: ${name} should be a field`);
  return ref;
}

function cmp(name: string, op: Op, value: TermValue, position = 0): FilterExpr {
  return { kind: 'cmp', field: field(name), op, value, position };
}

function word(text: string, position: number, extra: { fuzzy?: 1 | 2; phrase?: boolean } = {}): TermValue {
  return { kind: 'text', text, phrase: false, position, ...extra };
}

function day(iso: string, position: number): TermValue {
  const startMs = Date.parse(`${iso}T00:00:00Z`);
  return { kind: 'timestamp', startMs, endMs: startMs + DAY_MS, position };
}

describe('documented examples (IBM filter reference)', () => {
  const examples: Array<[description: string, query: string, surface: ApiSurface, expected: FilterExpr]> = [
    [
      'response in July 2020',
      'response_timestamp>=2020-07-01,response_timestamp<2020-08-01',
      'v2',
      {
        kind: 'and',
        items: [
          cmp('response_timestamp', 'gte', day('2020-07-01', 20)),
          cmp('response_timestamp', 'lt', day('2020-08-01', 50), 31),
        ],
      },
    ],
    [
      'response before an instant',
      'response_timestamp<2019-11-01T04:00:00.000Z',
      'v2',
      cmp('response_timestamp', 'lt', {
        kind: 'timestamp',
        startMs: Date.UTC(2019, 10, 1, 4),
        endMs: Date.UTC(2019, 10, 1, 4) + 1,
        position: 19,
      }),
    ],
    ['labelled with customer ID my_id', 'customer_id::my_id', 'v2', cmp('customer_id', 'exact', word('my_id', 13))],
    [
      'sent to one assistant',
      'assistant_id::dcd5c5ad-f3a1-4345-89c5-708b0b5ff4f7',
      'v2',
      cmp('assistant_id', 'exact', word('dcd5c5ad-f3a1-4345-89c5-708b0b5ff4f7', 14)),
    ],
    ['input contains order', 'request.input.text:order', 'v2', cmp('request.input.text', 'match', word('order', 19))],
    [
      'an intent exactly place_order',
      'response.output.intents:intent::place_order',
      'v2',
      cmp('response.output.intents:intent', 'exact', word('place_order', 32)),
    ],
    [
      'an entity named beverage',
      'response.output.entities:entity::beverage',
      'v2',
      cmp('response.output.entities:entity', 'exact', word('beverage', 33)),
    ],
    [
      'no intent exactly order',
      'response.intents:intent::!order',
      'v1',
      cmp('response.intents:intent', 'not_exact', word('order', 26)),
    ],
    [
      'input does not contain order',
      'request.input.text:!order',
      'v2',
      cmp('request.input.text', 'not_match', word('order', 20)),
    ],
    ['input contains !hello', 'request.input.text:\\!hello', 'v2', cmp('request.input.text', 'match', word('!hello', 19))],
    [
      'input contains "IBM Watson"',
      'request.input.text:"IBM Watson"',
      'v2',
      cmp('request.input.text', 'match', word('IBM Watson', 19, { phrase: true })),
    ],
    [
      'within 2 edits of Watson',
      'request.input.text:Watson~2',
      'v2',
      cmp('request.input.text', 'match', word('Watson', 19, { fuzzy: 2 })),
    ],
    [
      'comm, anything, s',
      'request.input.text:comm*s',
      'v2',
      cmp('request.input.text', 'match', { kind: 'pattern', segments: ['comm', 's'], position: 19 }),
    ],
    [
      'intent hello or goodbye',
      'response.output.intents:intent::(hello|goodbye)',
      'v2',
      {
        kind: 'or',
        items: [
          cmp('response.output.intents:intent', 'exact', word('hello', 33)),
          cmp('response.output.intents:intent', 'exact', word('goodbye', 39)),
        ],
      },
    ],
    [
      'intent order and entity beverage',
      '[response.output.intents:intent::order,response.output.entities:entity::beverage]',
      'v2',
      {
        kind: 'and',
        items: [
          cmp('response.output.intents:intent', 'exact', word('order', 33), 1),
          cmp('response.output.entities:entity', 'exact', word('beverage', 72), 39),
        ],
      },
    ],
  ];

  for (const [description, query, surface, expected] of examples) {
    it(`${description}: ${query}`, () => {
      assert.deepEqual(parseFilter(query, surface), expected);
      assert.deepEqual(parseFilter(query, 'any'), expected);
    });
  }
});

describe('precedence and grouping', () => {
  const a = cmp('language', 'exact', word('a', 10), 0);

  it('binds , tighter than |', () => {
    assert.deepEqual(parseFilter('language::a,skill_id::b|snapshot::c', 'v2'), {
      kind: 'or',
      items: [
        { kind: 'and', items: [a, cmp('skill_id', 'exact', word('b', 22), 12)] },
        cmp('snapshot', 'exact', word('c', 34), 24),
      ],
    });
  });

  it('lets brackets override precedence, with ( ) and [ ] alike', () => {
    for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
      const query = `language::a,${open}skill_id::b|snapshot::c${close}`;
      assert.deepEqual(parseFilter(query, 'v2'), {
        kind: 'and',
        items: [
          a,
          { kind: 'or', items: [cmp('skill_id', 'exact', word('b', 23), 13), cmp('snapshot', 'exact', word('c', 35), 25)] },
        ],
      });
    }
  });

  it('flattens nested groups of the same kind and unwraps redundant brackets', () => {
    const parsed = parseFilter('((language::a)),(skill_id::b,(snapshot::c))', 'v2');
    assert.equal(parsed.kind, 'and');
    assert.deepEqual(
      parsed.kind === 'and' ? parsed.items.map((item) => item.kind === 'cmp' && item.field.id) : [],
      ['language', 'skill_id', 'snapshot'],
    );
  });

  it('tolerates whitespace around tokens and keeps it inside a bare term', () => {
    assert.deepEqual(
      parseFilter(' ( request.input.text : ibm  watson ,\tlanguage :: en ) ', 'v2'),
      {
        kind: 'and',
        items: [cmp('request.input.text', 'match', word('ibm  watson', 24), 3), cmp('language', 'exact', word('en', 50), 38)],
      },
    );
  });
});

describe('term groups', () => {
  const intent = 'response.output.intents:intent';

  it('desugars an and-group to an and of comparisons', () => {
    assert.deepEqual(parseFilter(`${intent}::(a,b)`, 'v2'), {
      kind: 'and',
      items: [cmp(intent, 'exact', word('a', 33)), cmp(intent, 'exact', word('b', 35))],
    });
  });

  it('negates a group by De Morgan: ::!(a|b) is neither a nor b', () => {
    assert.deepEqual(parseFilter(`${intent}::!(a|b)`, 'v2'), {
      kind: 'and',
      items: [cmp(intent, 'not_exact', word('a', 34)), cmp(intent, 'not_exact', word('b', 36))],
    });
  });

  it('negates nested groups by De Morgan at every level', () => {
    assert.deepEqual(parseFilter('request.input.text:!(a|[b,c])', 'v2'), {
      kind: 'and',
      items: [
        cmp('request.input.text', 'not_match', word('a', 21)),
        {
          kind: 'or',
          items: [cmp('request.input.text', 'not_match', word('b', 24)), cmp('request.input.text', 'not_match', word('c', 26))],
        },
      ],
    });
  });

  it('types each member of a group against the field', () => {
    assert.deepEqual(parseFilter('request_timestamp::(2020-01-01 | 2020-01-02)', 'v1'), {
      kind: 'or',
      items: [cmp('request_timestamp', 'exact', day('2020-01-01', 20)), cmp('request_timestamp', 'exact', day('2020-01-02', 33))],
    });
  });

  it('allows phrases and fuzzy terms inside a group', () => {
    assert.deepEqual(parseFilter('request.input.text:("a|b"|car~1)', 'v2'), {
      kind: 'or',
      items: [
        cmp('request.input.text', 'match', word('a|b', 20, { phrase: true })),
        cmp('request.input.text', 'match', word('car', 26, { fuzzy: 1 })),
      ],
    });
  });
});

describe('quoting, escaping, wildcards and fuzzy terms', () => {
  function valueOf(query: string): TermValue {
    const parsed = parseFilter(query, 'any');
    assert.equal(parsed.kind, 'cmp');
    return (parsed as Extract<FilterExpr, { kind: 'cmp' }>).value;
  }

  it('parses nothing inside a phrase except \\" and \\\\', () => {
    assert.deepEqual(valueOf('request.input.text::"a,b|c)*~1 \\" \\\\ \\n"'), word('a,b|c)*~1 " \\ \\n', 20, { phrase: true }));
  });

  it('escapes separators, brackets, stars, tildes and quotes in a bare term', () => {
    assert.deepEqual(valueOf('request.input.text:a\\,b\\|c\\)\\(\\*\\~\\"\\\\'), word('a,b|c)(*~"\\', 19));
  });

  it('keeps escaped whitespace at the ends of a bare term', () => {
    assert.deepEqual(valueOf('request.input.text:\\ a\\ '), word(' a ', 19));
  });

  it('splits a pattern on unescaped stars only', () => {
    assert.deepEqual(valueOf('request.input.text:*a\\*b*'), { kind: 'pattern', segments: ['', 'a*b', ''], position: 19 });
  });

  it('reads fuzzy after a phrase', () => {
    assert.deepEqual(valueOf('request.input.text:"IBM Watson"~1'), word('IBM Watson', 19, { fuzzy: 1, phrase: true }));
  });

  it('accepts wildcards and fuzzy on keywords', () => {
    assert.deepEqual(valueOf('customer_id:ab*'), { kind: 'pattern', segments: ['ab', ''], position: 12 });
    assert.deepEqual(valueOf('language::en~1'), word('en', 10, { fuzzy: 1 }));
  });

  it('reads : inside a bare term, as timestamps need', () => {
    assert.deepEqual(valueOf('customer_id::a:b'), word('a:b', 13));
  });
});

describe('typed values', () => {
  it('reads numbers for counts and confidences', () => {
    assert.deepEqual(
      parseFilter('meta.message.entities_count>=2', 'v1'),
      cmp('meta.message.entities_count', 'gte', { kind: 'number', value: 2, position: 29 }),
    );
    assert.deepEqual(
      parseFilter('response.output.intents:confidence>0.75', 'v2'),
      cmp('response.output.intents:confidence', 'gt', { kind: 'number', value: 0.75, position: 35 }),
    );
  });

  it('offers fuzzy : on entity values', () => {
    assert.deepEqual(
      parseFilter('response.output.entities:value:soda', 'v2'),
      cmp('response.output.entities:value', 'match', word('soda', 31)),
    );
  });
});
