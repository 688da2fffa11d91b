const meta = { instanceId: 'default', customerIds: ['c1'], learningOptOut: false, receivedAt: Date.now() };
const common = (m: typeof meta) => ({ logId: 'x', instanceId: m.instanceId, customerIds: m.customerIds, learningOptOut: m.learningOptOut, requestTs: m.receivedAt, responseTs: Date.now() });
const body = { input: { text: 'hi' } }; const resp = { output: { text: ['a'] } };
const mkSpread = () => ({ ...common(meta), api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null, conversationId: 'c', userId: null, deployment: null, language: 'en', snapshot: null, topIntent: 'x', topConfidence: 0.5, entitiesCount: 0, inputText: 'hi', request: body, response: resp });
const mkFlat = () => ({ logId: 'x', instanceId: meta.instanceId, customerIds: meta.customerIds, learningOptOut: meta.learningOptOut, requestTs: meta.receivedAt, responseTs: Date.now(), api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null, conversationId: 'c', userId: null, deployment: null, language: 'en', snapshot: null, topIntent: 'x', topConfidence: 0.5, entitiesCount: 0, inputText: 'hi', request: body, response: resp });
const read = (l: any) => [l.logId, l.instanceId, l.api, l.assistantId, l.environmentId, l.workspaceId, l.sessionId, l.conversationId, l.userId, l.deployment, l.language, l.snapshot, l.topIntent, l.topConfidence, l.entitiesCount, l.inputText, l.requestTs, l.responseTs];
for (const [name, mk] of [['spread', mkSpread], ['flat', mkFlat], ['spread', mkSpread], ['flat', mkFlat]] as const) {
  const t0 = performance.now(); let x = 0; for (let i = 0; i < 1e6; i++) x += read(mk()).length; console.log(name, ((performance.now() - t0) * 1000 / 1e6).toFixed(3), 'us', x > 0);
}
